"""Validate ccxt's unified structures and turn them into the plain inputs checks read.

ccxt returns "nothing" for a broken answer as readily as for a real one: `{}` markets, an
empty balance, tickers without prices. Each parser here refuses what cannot be true of a
working account (`InvalidResponse`), so the checks that need it say UNKNOWN instead of
reading an outage as a flat, empty or healthy account.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from core.inputs import Market, Markets, Ticker
from core.symbols import pair_of


class InvalidResponse(ValueError):
    """The exchange answered, but not with something that can be true."""


def parse_markets(raw: Any, derivatives: bool) -> Markets:
    if not isinstance(raw, dict) or not raw:
        raise InvalidResponse("the market list is empty")
    by_symbol: dict[str, Market] = {}
    for symbol, item in raw.items():
        fields = [item.get(key) if isinstance(item, dict) else None for key in _MARKET_FIELDS]
        if not all(isinstance(value, str) and value for value in fields):
            raise InvalidResponse(f"market {symbol!r} lacks base, quote or type")
        base, quote, kind = fields
        # ccxt: `active` None means "not reported"; only an explicit False is inactive.
        by_symbol[symbol] = Market(symbol, base, quote, kind, item.get("active") is not False)
    markets = Markets(derivatives, by_symbol)
    if not any(markets.of_account_kind(market) for market in by_symbol.values()):
        raise InvalidResponse(f"none of the {len(by_symbol)} markets is a {markets.kind} market")
    return markets


_MARKET_FIELDS = ("base", "quote", "type")


def parse_tickers(raw: Any) -> dict[str, Ticker]:
    if not isinstance(raw, dict) or not raw:
        raise InvalidResponse("no tickers")
    tickers: dict[str, Ticker] = {}
    for symbol, item in raw.items():
        if not isinstance(item, dict):
            raise InvalidResponse(f"ticker {symbol!r} is not an object")
        tickers[symbol] = Ticker(
            symbol,
            last=_optional(item.get("last"), symbol),
            bid=_optional(item.get("bid"), symbol),
            ask=_optional(item.get("ask"), symbol),
            quote_volume=_optional(item.get("quoteVolume"), symbol),
            base_volume=_optional(item.get("baseVolume"), symbol),
            vwap=_optional(item.get("vwap"), symbol),
        )
    if not any(ticker.price is not None for ticker in tickers.values()):
        raise InvalidResponse(f"none of the {len(tickers)} tickers carries a price")
    return tickers


def parse_balance(raw: Any, held_by_bot: Callable[[], Sequence[str]]) -> dict[str, float]:
    """Total amount per currency (free + used); zero amounts are left out.

    An empty balance is believed only while the bot holds nothing: with open positions it is
    far more likely a broken answer than an emptied account (`held_by_bot` is asked lazily).
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("total"), dict):
        raise InvalidResponse("the balance has no totals")
    amounts: dict[str, float] = {}
    for code, total in raw["total"].items():
        amount = _optional(total, f"balance {code}")
        if amount is None:
            entry = raw.get(code) if isinstance(raw.get(code), dict) else {}
            free = _optional(entry.get("free"), f"balance {code}")
            used = _optional(entry.get("used"), f"balance {code}")
            if free is None and used is None:
                raise InvalidResponse(f"balance {code}: no total, free or used amount")
            amount = (free or 0.0) + (used or 0.0)
        if amount:
            amounts[str(code).upper()] = amount
    if not amounts:
        held = held_by_bot()
        if held:
            raise InvalidResponse(
                f"the balance is empty while the bot holds {', '.join(held[:3])}"
                + (f" and {len(held) - 3} more" if len(held) > 3 else "")
            )
    return amounts


def parse_positions(raw: Any) -> dict[str, float]:
    """Signed size in base units per `BASE/QUOTE` (contracts x contract size; short < 0)."""
    if not isinstance(raw, list):
        raise InvalidResponse("the positions are not a list")
    sizes: dict[str, float] = {}
    for item in raw:
        symbol = item.get("symbol") if isinstance(item, dict) else None
        if not isinstance(symbol, str) or not symbol:
            raise InvalidResponse("a position has no symbol")
        contracts = _optional(item.get("contracts"), f"position {symbol}") or 0.0
        if not contracts:
            continue
        side = item.get("side")
        if side not in ("long", "short"):
            raise InvalidResponse(f"position {symbol}: side {side!r} is neither long nor short")
        size = contracts * (_optional(item.get("contractSize"), f"position {symbol}") or 1.0)
        pair = pair_of(symbol)
        sizes[pair] = sizes.get(pair, 0.0) + (-abs(size) if side == "short" else abs(size))
    return sizes


def parse_transactions(raw: Any) -> list[dict[str, Any]]:
    """ccxt's deposits and withdrawals, each with what valuing it needs."""
    if not isinstance(raw, list):
        raise InvalidResponse("the deposits and withdrawals are not a list")
    transactions = []
    for item in raw:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ("deposit", "withdrawal"):
            raise InvalidResponse(f"a transaction of type {kind!r} is no deposit or withdrawal")
        where = f"{kind} {item.get('id')}"
        amount = _optional(item.get("amount"), where)
        timestamp = _optional(item.get("timestamp"), where)
        currency = item.get("currency")
        if amount is None or timestamp is None or not isinstance(currency, str):
            raise InvalidResponse(f"{where}: no amount, time or currency")
        fee = item.get("fee") if isinstance(item.get("fee"), dict) else {}
        if kind == "withdrawal" and fee.get("currency") == currency:
            amount += _optional(fee.get("cost"), where) or 0.0  # the fee left the account too
        status = item.get("status")
        transactions.append(
            {
                "type": kind,
                "id": str(item.get("id") or item.get("txid")),
                "amount": amount,
                "currency": currency.upper(),
                "timestamp": timestamp,
                "status": status,
            }
        )
    return transactions


def _optional(value: Any, where: str) -> float | None:
    """A finite number, or None when ccxt did not report one; anything else is invalid."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidResponse(f"{where}: {value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidResponse(f"{where}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InvalidResponse(f"{where}: {value!r} is not a finite number")
    return number
