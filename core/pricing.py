"""Prices of assets in one currency, from the exchange's tickers (pure).

Used for equity (every balance valued in `risk.equity_currency`) and for reconcile (the USD
worth of a quantity difference). Routes, in order: a direct ticker (either way round); the
1:1 peg between USD, USDT and USDC (only when no direct ticker says otherwise); a ticker to
a bridge currency (USD, USDT, USDC, in that order) times that bridge's price. Every price
says how it was found, so an operator can see why a figure is what it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.inputs import Ticker
from core.symbols import pair_of

PEGGED = ("USD", "USDT", "USDC")  # count 1:1 with each other unless a ticker says otherwise
_MAX_BRIDGES = 2


@dataclass(frozen=True)
class Price:
    value: float
    source: str

    def __mul__(self, other: Price) -> Price:
        source = " x ".join(part for part in (self.source, other.source) if part)
        return Price(self.value * other.value, source)


class PriceBook:
    """Prices in `currency` from a set of tickers; a spot ticker wins over a contract one."""

    def __init__(self, tickers: Mapping[str, Ticker], currency: str) -> None:
        self.currency = currency
        self._rates: dict[tuple[str, str], Price] = {}
        for symbol, ticker in sorted(tickers.items(), key=lambda item: ":" not in item[0]):
            price = ticker.price
            pair = pair_of(symbol).split("/")
            if price is not None and len(pair) == 2:
                self._rates[(pair[0], pair[1])] = Price(price, f"ticker {symbol}")

    def price(self, code: str) -> Price | None:
        """What one unit of `code` is worth in the book's currency, or None if no route."""
        if code == self.currency:
            return Price(1.0, "")  # the unit itself: nothing to say about it
        return self._route(code, _MAX_BRIDGES)

    def _route(self, code: str, bridges: int) -> Price | None:
        """Directly, or through at most `bridges` bridge currencies (BTC -> USDT -> USD -> EUR)."""
        found = self._leg(code, self.currency)
        if found is not None or bridges == 0:
            return found
        for bridge in PEGGED:
            if bridge in (code, self.currency):
                continue
            first = self._leg(code, bridge)
            rest = self._route(bridge, bridges - 1) if first is not None else None
            if first is not None and rest is not None:
                return first * rest
        return None

    def _leg(self, code: str, other: str) -> Price | None:
        """A ticker between the two, else the stablecoin peg."""
        return self._ticker(code, other) or _peg(code, other)

    def _ticker(self, base: str, quote: str) -> Price | None:
        direct = self._rates.get((base, quote))
        if direct is not None:
            return direct
        inverse = self._rates.get((quote, base))
        if inverse is not None:
            return Price(1 / inverse.value, f"1/{inverse.source}")
        return None


def _peg(code: str, target: str) -> Price | None:
    if code in PEGGED and target in PEGGED:
        return Price(1.0, f"{code}={target} 1:1")
    return None
