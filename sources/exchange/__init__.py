"""The exchange, read through ccxt and nothing but its read calls (SPEC §2.3)."""
