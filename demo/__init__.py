"""The offline demo behind `make run`: an emulated exchange, a scripted bot, the daemon."""
