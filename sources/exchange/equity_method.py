"""The account's true equity per currency: what it holds plus the unrealised PnL of its open
positions, by the one method that is right for the exchange.

ccxt's balance `total` means different things: on okx, bitget and the binance futures it is
the margin balance (unrealised PnL included), on bybit, gate or crypto.com the wallet balance
(unrealised PnL left out: a position 3,000 USDT under water reads as no loss at all). So:

1. the exchange's own equity figure where its answer carries one (bybit: each coin's
   `equity`; crypto.com: the cash plus the session's unrealised PnL, because it settles every
   position into cash each hour and ccxt's position `unrealizedPnl` is the PnL since the
   position opened, most of it already in the cash);
2. ccxt's `total`, where it already is the margin balance (`TOTAL_IS_EQUITY`), or for a
   spot account (nothing unrealised);
3. otherwise the wallet plus each open position's `unrealizedPnl`, in its settle currency; a
   position without one makes the equity unknown rather than silently too high.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sources.exchange.responses import InvalidResponse, _optional, parse_balance

TOTAL_IS_EQUITY = frozenset({"okx", "bitget", "binance", "binanceusdm", "binancecoinm"})


@dataclass(frozen=True)
class BalanceAnswer:
    amounts: dict[str, float]  # ccxt's total per currency
    raw: Any  # ccxt's whole answer: `info` holds the exchange's own figures


@dataclass(frozen=True)
class PositionsAnswer:
    sizes: dict[str, float]  # signed size in base units per `BASE/QUOTE`
    unrealised: dict[str, float]  # unrealised PnL per settle currency
    without_pnl: tuple[str, ...] = ()  # open positions that report none


@dataclass(frozen=True)
class AccountEquity:
    amounts: dict[str, float]
    method: str
    unrealised: dict[str, float] = field(default_factory=dict)


def unrealised_pnl(raw: Any) -> tuple[dict[str, float], tuple[str, ...]]:
    """Unrealised PnL of ccxt's open positions per settle currency, and the open positions
    that carry none."""
    pnl: dict[str, float] = {}
    without: list[str] = []
    for item in raw if isinstance(raw, list) else ():
        symbol = str(item.get("symbol") or "")
        if not _optional(item.get("contracts"), f"position {symbol}"):
            continue
        value = _optional(item.get("unrealizedPnl"), f"position {symbol}")
        settle = str(item.get("settle") or symbol.partition(":")[2].split("-")[0]).upper()
        if value is None or not settle:
            without.append(symbol)
        else:
            pnl[settle] = pnl.get(settle, 0.0) + value
    return pnl, tuple(without)


def account_equity(
    exchange_id: str,
    derivatives: bool,
    balance: BalanceAnswer,
    positions: Callable[[], PositionsAnswer],
) -> AccountEquity:
    """Equity per currency and how it was found; `positions` is asked only when needed."""
    own = OWN_EQUITY.get(exchange_id)
    figures = own(balance.raw) if own else None
    if figures is not None:
        own_method = f"{exchange_id}'s own equity per coin (wallet + unrealised PnL)"
        return AccountEquity(figures, OWN_METHOD.get(exchange_id, own_method))
    if not derivatives:
        return AccountEquity(balance.amounts, "balance (spot: nothing unrealised)")
    if exchange_id in TOTAL_IS_EQUITY:
        method = "balance (the margin balance: unrealised PnL included)"
        return AccountEquity(balance.amounts, method)
    answer = positions()
    if answer.without_pnl:
        raise InvalidResponse(
            f"open position {', '.join(answer.without_pnl)} reports no unrealised PnL, "
            "so the equity cannot be known"
        )
    amounts = dict(balance.amounts)
    for currency, pnl in answer.unrealised.items():
        amounts[currency] = amounts.get(currency, 0.0) + pnl
    return AccountEquity(amounts, "wallet + unrealised PnL of open positions", answer.unrealised)


def _bybit_coin_equity(raw: Any) -> dict[str, float] | None:
    """bybit's wallet-balance answer: each coin's `equity` (None if it has no such list)."""
    info = raw.get("info") if isinstance(raw, Mapping) else None
    accounts = ((info or {}).get("result") or {}).get("list")
    if not isinstance(accounts, list):
        return None
    amounts: dict[str, float] = {}
    for account in accounts:
        for coin in (account or {}).get("coin") or ():
            code = str(coin.get("coin") or "").upper()
            equity = _optional(coin.get("equity"), f"balance {code} equity")
            if equity is None:
                return None
            if code and equity:
                amounts[code] = amounts.get(code, 0.0) + equity
    return amounts or None


def _cryptocom_session_equity(raw: Any) -> dict[str, float] | None:
    """crypto.com's user-balance answer: the cash per currency (ccxt's totals) plus the
    session's unrealised PnL, in the currency the answer names (USD). Each hour the session
    ends, open positions are marked to the mark price and their PnL is settled into the cash;
    ccxt's position `unrealizedPnl` (`open_position_pnl`) still counts it since the opening,
    so wallet + that would count every settled hour twice (None if there is no such figure)."""
    info = raw.get("info") if isinstance(raw, Mapping) else None
    accounts = ((info or {}).get("result") or {}).get("data")
    if not isinstance(accounts, list) or not accounts:
        return None
    amounts = parse_balance(raw, tuple)
    for account in accounts:
        currency = str((account or {}).get("instrument_name") or "").upper()
        pnl = _optional((account or {}).get("total_session_unrealized_pnl"), "session PnL")
        if pnl is None or not currency:
            return None
        amounts[currency] = amounts.get(currency, 0.0) + pnl
    return amounts


OWN_EQUITY: dict[str, Callable[[Any], dict[str, float] | None]] = {
    "bybit": _bybit_coin_equity,
    "cryptocom": _cryptocom_session_equity,
}
OWN_METHOD = {"cryptocom": "cryptocom's cash + the session's unrealised PnL (settled hourly)"}
