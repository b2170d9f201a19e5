"""One spelling of a market symbol, whoever wrote it (the bot, the operator, the exchange)."""

from __future__ import annotations


def normalise_symbol(symbol: str) -> str:
    """`BTC-USD`, `btc_usd` and `BTC/USD` are the same market: `BTC/USD`."""
    return symbol.strip().upper().replace("-", "/").replace("_", "/")


def pair_of(symbol: str) -> str:
    """`BTC/USDT` for the contract `BTC/USDT:USDT` (ccxt's `:SETTLE` suffix), and for itself."""
    return symbol.split(":", 1)[0]


def base_of(symbol: str) -> str:
    """`BTC` for `BTC/USDT` and `BTC/USDT:USDT`."""
    return pair_of(symbol).split("/")[0]


def quote_of(symbol: str) -> str:
    """`USDT` for `BTC/USDT` and `BTC/USDT:USDT`."""
    return pair_of(symbol).split("/")[-1]
