"""Readers of the outside world (files, the error log, the exchange). Read-only, never pure."""
