"""Spot or derivatives, decided once and told to ccxt.

ccxt reads spot or derivatives endpoints by its `defaultType` option, whose default varies by
exchange (bybit's is `swap`, gate's and okx's `spot`): a spot bot on bybit would have its
tickers and positions read from the perpetuals, a derivatives bot on gate its equity from the
spot wallet. So the account type is decided here, in this order, and ccxt is told:

1. the operator's `exchange.derivatives`;
2. the bot's own symbols: a ccxt contract symbol (`BTC/USDT:USDT`, the `:SETTLE` suffix) means
   derivatives, plain pairs mean spot;
3. ccxt's `defaultType` for the exchange (the operator's `options.defaultType` included).

An operator's own `options.defaultType` is never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DERIVATIVE_DEFAULT_TYPES = frozenset({"swap", "future", "delivery", "option"})


@dataclass(frozen=True)
class AccountType:
    derivatives: bool
    source: str  # how it was decided, for `config check` and the checks' context
    settle: tuple[str, ...] = ()  # settle currencies of the bot's contracts

    @property
    def kind(self) -> str:
        return "derivatives" if self.derivatives else "spot"

    @property
    def default_type(self) -> str:
        """The ccxt `defaultType` that reads this kind of account."""
        return "swap" if self.derivatives else "spot"


def decide(setting: bool | None, symbols: Iterable[str], ccxt_default: str | None) -> AccountType:
    symbols = sorted(set(symbols))
    contracts = [symbol for symbol in symbols if ":" in symbol]
    settle = tuple(sorted({symbol.split(":", 1)[1].split("-")[0] for symbol in contracts}))
    if setting is not None:
        return AccountType(setting, "exchange.derivatives", settle)
    if contracts:
        return AccountType(True, f"the bot's contract symbols ({', '.join(contracts[:3])})", settle)
    if symbols:
        return AccountType(False, f"the bot's spot symbols ({', '.join(symbols[:3])})")
    derivatives = ccxt_default in DERIVATIVE_DEFAULT_TYPES
    return AccountType(derivatives, f"ccxt's defaultType {ccxt_default!r} (the bot holds nothing)")
