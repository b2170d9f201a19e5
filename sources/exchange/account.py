"""Spot or derivatives, decided once and told to ccxt.

ccxt reads spot or derivatives endpoints by its `defaultType` option, whose default varies by
exchange (bybit's is `swap`, gate's and okx's `spot`): a spot bot on bybit would have its
tickers and positions read from the perpetuals, a derivatives bot on gate its equity from the
spot wallet. So the account type is decided here, in this order, and ccxt is told:

1. the operator's `exchange.derivatives`;
2. what the ccxt class trades, when it trades one kind only (binanceusdm: derivatives, kraken:
   spot), whatever the bot's symbols look like;
3. the bot's own symbols: a ccxt contract symbol (`BTC/USDT:USDT`, the `:SETTLE` suffix) means
   derivatives, plain pairs mean spot;
4. ccxt's `defaultType` for the exchange (the operator's `options.defaultType` included).

An operator's own `options.defaultType` is never overwritten, nor is that of a class that
trades one kind only.

Positions are asked for every settle currency the bot's contracts name: some exchanges
answer one settle currency (or category) per call, and the others would read as "none".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def decide(
    setting: bool | None,
    symbols: Iterable[str],
    ccxt_default: str | None,
    trades: tuple[bool, bool] = (True, True),
) -> AccountType:
    """`trades`: whether the ccxt class trades spot, and derivatives."""
    symbols = sorted(set(symbols))
    contracts = [symbol for symbol in symbols if ":" in symbol]
    settle = tuple(sorted({symbol.split(":", 1)[1].split("-")[0] for symbol in contracts}))
    if setting is not None:
        return AccountType(setting, "exchange.derivatives", settle)
    if not all(trades):
        kind = "derivatives" if trades[1] else "spot"
        return AccountType(trades[1], f"the exchange class trades {kind} only", settle)
    if contracts:
        return AccountType(True, f"the bot's contract symbols ({', '.join(contracts[:3])})", settle)
    if symbols:
        return AccountType(False, f"the bot's spot symbols ({', '.join(symbols[:3])})")
    derivatives = ccxt_default in DERIVATIVE_DEFAULT_TYPES
    return AccountType(derivatives, f"ccxt's defaultType {ccxt_default!r} (the bot holds nothing)")


def position_queries(exchange_id: str, settle: tuple[str, ...]) -> list[dict[str, str]]:
    """The ccxt `fetch_positions` params that together cover every settle currency of the
    bot's contracts (one call, `{}`, where the exchange answers all of them at once)."""
    per_settle = _PER_SETTLE.get(exchange_id)
    if per_settle is None or not settle:
        return [{}]
    return [per_settle(coin) for coin in settle]


def _bybit(settle: str) -> dict[str, str]:
    """bybit: linear contracts by settle coin; the inverse ones (settled in their base coin,
    never in a stablecoin) by category."""
    if settle in ("USDT", "USDC"):
        return {"settleCoin": settle}
    return {"subType": "inverse"}


_PER_SETTLE: dict[str, Callable[[str], dict[str, str]]] = {
    "bybit": _bybit,
    "gate": lambda settle: {"settle": settle.lower()},
}
