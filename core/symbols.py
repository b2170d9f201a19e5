"""One spelling of a market symbol, whoever wrote it (the bot, the operator, the exchange)."""

from __future__ import annotations


def normalise_symbol(symbol: str) -> str:
    """`BTC-USD`, `btc_usd` and `BTC/USD` are the same market: `BTC/USD`."""
    return symbol.strip().upper().replace("-", "/").replace("_", "/")
