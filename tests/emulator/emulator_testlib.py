"""Shared constants for the emulator tests (unique module name: no clash with conftest)."""

from __future__ import annotations

EXCHANGES = ("binance", "binanceusdm", "coinbase")

SYMBOL = {"binance": "BTC/USDT", "binanceusdm": "BTC/USDT:USDT", "coinbase": "BTC/USD"}
"""A market every venue lists in the default state."""
