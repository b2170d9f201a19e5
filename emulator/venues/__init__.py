"""Venue registry: which handler serves a host, and which ccxt id a bare host implies."""

from __future__ import annotations

from .base import Request, Response, Route, Venue
from .binance import COINM_HOST, SPOT_HOST, USDM_HOST, BinanceVenue
from .coinbase import HOST as COINBASE_HOST
from .coinbase import CoinbaseVenue

SUPPORTED_EXCHANGES: tuple[str, ...] = ("binance", "binanceusdm", "coinbase")

DEFAULT_EXCHANGE_FOR_HOST: dict[str, str] = {
    SPOT_HOST: "binance",
    COINM_HOST: "binance",
    USDM_HOST: "binanceusdm",
    COINBASE_HOST: "coinbase",
}
"""Used when a URL carries only the host (``/api.binance.com/...``), not the ccxt id."""


def build_venues() -> dict[str, Venue]:
    """Fresh venue instances keyed by every host they serve."""
    by_host: dict[str, Venue] = {}
    for venue in (BinanceVenue(), CoinbaseVenue()):
        for host in venue.hosts:
            by_host[host] = venue
    return by_host


__all__ = [
    "DEFAULT_EXCHANGE_FOR_HOST",
    "SUPPORTED_EXCHANGES",
    "Request",
    "Response",
    "Route",
    "Venue",
    "build_venues",
]
