"""The exchange, read through ccxt and nothing but its read calls (README: "The exchange")."""
