"""The vocabulary of the error log (README: "The bot's error log"), importable without the
database layer."""

KINDS = ("api_error", "api_ok", "order_rejected", "exception")
SOURCES = ("bot", "runner")
