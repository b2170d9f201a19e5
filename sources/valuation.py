"""What the account's balances are worth in one currency (pure).

An asset without a price is never counted as zero silently: if an active market on the
exchange trades it, its value could matter and the valuation is incomplete (`missing`);
an asset no active market lists (an airdrop, a delisted coin) cannot be sold here and is
left out, but named (`unpriced`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.inputs import Markets
from core.pricing import PriceBook


@dataclass(frozen=True)
class Valuation:
    total: float
    unpriced: tuple[str, ...]  # left out: no active market lists them
    missing: tuple[str, ...]  # an active market lists them, yet no ticker prices them


def value_balances(amounts: Mapping[str, float], prices: PriceBook, markets: Markets) -> Valuation:
    tradeable = {
        code
        for market in markets.by_symbol.values()
        if market.active
        for code in (market.base, market.quote)
    }
    total = 0.0
    unpriced: list[str] = []
    missing: list[str] = []
    for code, amount in sorted(amounts.items()):
        price = prices.price(code)
        if price is not None:
            total += amount * price.value
        elif code in tradeable:
            missing.append(code)
        else:
            unpriced.append(code)
    return Valuation(total, tuple(unpriced), tuple(missing))
