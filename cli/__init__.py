"""The command line (README: "Command line"): one module per command, wired in `cli.app`."""
