"""The vocabulary of the error log (SPEC §2.2), importable without the database layer."""

KINDS = ("api_error", "api_ok", "order_rejected", "exception")
SOURCES = ("bot", "runner")
