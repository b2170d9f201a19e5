"""Venue-neutral account and market state served by the emulator.

One logical state is rendered by every venue in its own wire format (binance ``BTCUSDT``,
coinbase ``BTC-USD``), so a test sets "BTC/USDT last = 97000" once and every ccxt id sees
it.  Need different numbers per venue at the same time?  Run one emulator per venue.

Markets and tickers are public and shared; the wallets and positions are private, so an API
key may have an ``Account`` of its own (a fleet of bots, each with its own key, on one
emulator).  A key without one sees the shared wallets.

Everything is plain dataclasses with ``to_dict``/``from_dict`` so the same shapes travel
over the control API as JSON.  ``StateStore`` is the thread-safe holder: a change builds a
new ``State`` and swaps it in, so HTTP handler threads read the published one unchanged.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import asdict, dataclass, field, fields
from dataclasses import replace as with_fields
from typing import Any, Literal

MarketType = Literal["spot", "swap"]
Side = Literal["long", "short"]

FIAT_CURRENCIES: frozenset[str] = frozenset({"USD", "EUR", "GBP"})
"""Currencies rendered as fiat (coinbase account type, binance ``isLegalMoney``)."""


@dataclass
class Market:
    """A listed market; base/quote/settle/type are derived from the unified symbol.

    ``BTC/USDT`` is spot, ``BTC/USDT:USDT`` a linear perpetual swap settled in USDT.
    ``exchanges`` restricts listing to some ccxt ids (``None`` = listed everywhere).
    """

    symbol: str
    active: bool = True
    exchanges: list[str] | None = None

    def __post_init__(self) -> None:
        pair = self.symbol.split(":", 1)[0]
        if pair.count("/") != 1 or not all(pair.split("/")):
            raise ValueError(f"market symbol must look like BASE/QUOTE[:SETTLE]: {self.symbol!r}")

    @property
    def base(self) -> str:
        return self.symbol.split(":", 1)[0].split("/")[0]

    @property
    def quote(self) -> str:
        return self.symbol.split(":", 1)[0].split("/")[1]

    @property
    def settle(self) -> str | None:
        parts = self.symbol.split(":", 1)
        return parts[1] if len(parts) == 2 else None

    @property
    def type(self) -> MarketType:
        return "swap" if self.settle else "spot"

    def listed_on(self, exchange_id: str) -> bool:
        return self.exchanges is None or exchange_id in self.exchanges


@dataclass
class Ticker:
    """24h ticker; ``quote_volume`` is in quote currency.  Missing bid/ask = tight book."""

    last: float
    quote_volume: float = 0.0
    bid: float | None = None
    ask: float | None = None
    percentage: float = 0.0

    @property
    def base_volume(self) -> float:
        return self.quote_volume / self.last if self.last else 0.0

    @property
    def best_bid(self) -> float:
        return self.bid if self.bid is not None else self.last

    @property
    def best_ask(self) -> float:
        return self.ask if self.ask is not None else self.last


@dataclass
class Balance:
    """One currency of a wallet; ``used`` is locked in orders (spot) or margin (futures)."""

    free: float
    used: float = 0.0

    @property
    def total(self) -> float:
        return self.free + self.used


@dataclass
class Position:
    """A one-way-mode derivatives position (one per symbol)."""

    symbol: str
    side: Side
    contracts: float
    entry_price: float
    mark_price: float | None = None
    leverage: int = 10
    margin_mode: Literal["cross", "isolated"] = "cross"

    def __post_init__(self) -> None:
        if self.side not in ("long", "short"):
            raise ValueError(f"position side must be long or short: {self.side!r}")


def _from_dict(cls: type[Any], data: dict[str, Any]) -> Any:
    """Build a dataclass from a dict, rejecting unknown keys so typos fail loudly."""
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown {cls.__name__} field(s): {sorted(unknown)}")
    return cls(**data)


_SECTIONS: dict[str, type[Any]] = {
    "markets": Market,
    "tickers": Ticker,
    "balances": Balance,
    "futures_balances": Balance,
    "positions": Position,
}
"""Keyed sections of ``State``: section name -> value dataclass (keys are symbols/codes)."""

_PRIVATE = ("balances", "futures_balances", "positions")
"""The sections an API key's ``Account`` replaces: what the private endpoints answer from."""


@dataclass
class Account:
    """What one API key's private calls see: its own wallets and positions, whole (an
    account without positions has none; it does not inherit the shared ones)."""

    balances: dict[str, Balance] = field(default_factory=dict)
    futures_balances: dict[str, Balance] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            name: {key: asdict(value) for key, value in getattr(self, name).items()}
            for name in _PRIVATE
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Account:
        unknown = set(data) - set(_PRIVATE)
        if unknown:
            raise ValueError(f"unknown account section(s): {sorted(unknown)}")
        state = State()
        state.apply_patch(data, replace=True)
        return cls(**{name: getattr(state, name) for name in _PRIVATE})


@dataclass
class State:
    """The whole emulated world.

    ``balances`` is the spot wallet (binance spot, coinbase); ``futures_balances`` the
    USDⓈ-M futures wallet (binanceusdm).  ``accounts`` gives API keys wallets and positions
    of their own.  ``api_keys`` lists accepted keys (``None`` = any non-empty key).
    ``account_page_size`` caps coinbase account pages so cursor pagination can be
    exercised with a handful of currencies.
    """

    markets: dict[str, Market] = field(default_factory=dict)
    tickers: dict[str, Ticker] = field(default_factory=dict)
    balances: dict[str, Balance] = field(default_factory=dict)
    futures_balances: dict[str, Balance] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    api_keys: list[str] | None = None
    account_page_size: int = 250

    def for_api_key(self, api_key: str | None) -> State:
        """The state a private call with ``api_key`` is answered from: the key's own
        ``Account`` in place of the shared wallets and positions, if it has one."""
        account = self.accounts.get(api_key) if api_key else None
        if account is None:
            return self
        return with_fields(self, **{name: getattr(account, name) for name in _PRIVATE})

    def markets_for(self, exchange_id: str, market_type: MarketType) -> list[Market]:
        """Markets of one type listed on ``exchange_id``, in symbol order."""
        return [
            m
            for _, m in sorted(self.markets.items())
            if m.type == market_type and m.listed_on(exchange_id)
        ]

    def currencies_for(self, exchange_id: str) -> list[str]:
        """Every currency code the venue knows: market legs plus held balances."""
        codes: set[str] = set(self.balances) | set(self.futures_balances)
        for market in self.markets.values():
            if market.listed_on(exchange_id):
                codes.update({market.base, market.quote})
        return sorted(codes)

    def usd_price(self, code: str) -> float | None:
        """Approximate USD value of one unit, via any USD/USDT/USDC spot ticker."""
        if code in ("USD", "USDT", "USDC"):
            return 1.0
        for quote in ("USD", "USDT", "USDC"):
            ticker = self.tickers.get(f"{code}/{quote}")
            if ticker is not None and ticker.last:
                return ticker.last
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: {key: asdict(value) for key, value in getattr(self, name).items()}
            for name in _SECTIONS
        }
        out["accounts"] = {key: account.to_dict() for key, account in self.accounts.items()}
        out["api_keys"] = list(self.api_keys) if self.api_keys is not None else None
        out["account_page_size"] = self.account_page_size
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        state = cls()
        state.apply_patch(data, replace=True)
        return state

    def apply_patch(self, data: dict[str, Any], *, replace: bool = False) -> None:
        """Merge a JSON-shaped dict into this state.

        Sections present in ``data`` are merged key by key (``null`` deletes a key; an
        ``accounts`` entry is replaced whole); with ``replace=True`` a present section
        replaces the old one wholesale.  Absent sections are left alone either way.
        """
        unknown = set(data) - set(_SECTIONS) - {"accounts", "api_keys", "account_page_size"}
        if unknown:
            raise ValueError(f"unknown state section(s): {sorted(unknown)}")
        for name, cls in _SECTIONS.items():
            if name not in data:
                continue
            section: dict[str, Any] = {} if replace else dict(getattr(self, name))
            for key, value in (data[name] or {}).items():
                if value is None:
                    section.pop(key, None)
                    continue
                if isinstance(value, cls):
                    section[key] = copy.deepcopy(value)
                    continue
                if name in ("markets", "positions"):
                    value = {**value, "symbol": key}
                section[key] = _from_dict(cls, value)
            setattr(self, name, section)
        if "accounts" in data:
            accounts = {} if replace else dict(self.accounts)
            for key, value in (data["accounts"] or {}).items():
                if value is None:
                    accounts.pop(key, None)
                elif isinstance(value, Account):
                    accounts[key] = copy.deepcopy(value)
                else:
                    accounts[key] = Account.from_dict(value)
            self.accounts = accounts
        if "api_keys" in data:
            self.api_keys = None if data["api_keys"] is None else list(data["api_keys"])
        if "account_page_size" in data:
            self.account_page_size = max(1, int(data["account_page_size"]))


def default_state() -> State:
    """A small but realistic world: majors on USDT/USDC/USD, a delisted coin, 2 perps.

    USD pairs are coinbase-only and USDT pairs are served by both venues, like the real
    listings; LUNA/USDT is listed but inactive so ``active`` handling can be tested.
    """
    spot_prices = {"BTC": 97_000.0, "ETH": 3_500.0, "SOL": 180.0, "XRP": 2.3, "DOGE": 0.35}
    volumes = {"BTC": 1.2e9, "ETH": 6.5e8, "SOL": 2.1e8, "XRP": 1.4e8, "DOGE": 9.0e7}
    markets: dict[str, Market] = {}
    tickers: dict[str, Ticker] = {}
    for base, price in spot_prices.items():
        for quote, factor in (("USDT", 1.0), ("USDC", 0.9998), ("USD", 1.0002)):
            symbol = f"{base}/{quote}"
            exchanges = ["coinbase"] if quote == "USD" else None
            markets[symbol] = Market(symbol, exchanges=exchanges)
            last = round(price * factor, 6)
            spread = last * 0.0001
            tickers[symbol] = Ticker(
                last=last,
                quote_volume=volumes[base] * (1.0 if quote == "USDT" else 0.25),
                bid=round(last - spread, 6),
                ask=round(last + spread, 6),
                percentage=1.5,
            )
    markets["USDC/USDT"] = Market("USDC/USDT")
    tickers["USDC/USDT"] = Ticker(last=1.0001, quote_volume=5.0e8, bid=1.0, ask=1.0001)
    markets["LUNA/USDT"] = Market("LUNA/USDT", active=False, exchanges=["binance"])
    tickers["LUNA/USDT"] = Ticker(last=0.0001, quote_volume=0.0)
    for base in ("BTC", "ETH"):
        symbol = f"{base}/USDT:USDT"
        markets[symbol] = Market(symbol)
        last = round(spot_prices[base] * 1.0003, 2)
        tickers[symbol] = Ticker(last=last, quote_volume=volumes[base] * 4, percentage=1.4)
    return State(
        markets=markets,
        tickers=tickers,
        balances={
            "BTC": Balance(free=0.5, used=0.1),
            "ETH": Balance(free=4.0, used=0.0),
            "SOL": Balance(free=25.0, used=5.0),
            "USDT": Balance(free=12_500.0, used=2_500.0),
            "USDC": Balance(free=3_000.0, used=0.0),
            "USD": Balance(free=1_000.0, used=0.0),
        },
        futures_balances={
            "USDT": Balance(free=8_000.0, used=2_000.0),
            "USDC": Balance(free=500.0, used=0.0),
        },
        positions={
            "BTC/USDT:USDT": Position("BTC/USDT:USDT", "long", 0.05, 95_000.0, leverage=10),
            "ETH/USDT:USDT": Position("ETH/USDT:USDT", "short", 1.5, 3_600.0, leverage=5),
        },
    )


class StateStore:
    """Thread-safe owner of the live ``State``.

    Every change builds a new ``State`` and swaps it in; the published one is never
    mutated.  So the HTTP handlers read it as is (``current``: a deep copy per request
    would cost ~20 ms with 500 accounts), while ``snapshot`` gives callers a copy of
    their own to change.
    """

    def __init__(self, state: State | None = None) -> None:
        self._lock = threading.Lock()
        self._state = copy.deepcopy(state) if state is not None else default_state()

    def current(self) -> State:
        """The live state, to read only."""
        with self._lock:
            return self._state

    def snapshot(self) -> State:
        with self._lock:
            return copy.deepcopy(self._state)

    def replace(self, state: State) -> None:
        with self._lock:
            self._state = copy.deepcopy(state)

    def patch(self, data: dict[str, Any], *, replace: bool = False) -> None:
        """Apply a JSON-shaped patch atomically (all or nothing on validation errors)."""
        with self._lock:
            candidate = copy.deepcopy(self._state)
            candidate.apply_patch(data, replace=replace)
            self._state = candidate

    def set_market(
        self, symbol: str, *, active: bool = True, exchanges: list[str] | None = None
    ) -> None:
        self.patch({"markets": {symbol: Market(symbol, active, exchanges)}})

    def set_ticker(
        self,
        symbol: str,
        last: float,
        quote_volume: float = 0.0,
        *,
        bid: float | None = None,
        ask: float | None = None,
        percentage: float = 0.0,
    ) -> None:
        self.patch({"tickers": {symbol: Ticker(last, quote_volume, bid, ask, percentage)}})

    def set_balance(
        self, code: str, free: float, used: float = 0.0, *, futures: bool = False
    ) -> None:
        section = "futures_balances" if futures else "balances"
        self.patch({section: {code: Balance(free, used)}})

    def set_position(
        self, symbol: str, side: Side, contracts: float, entry_price: float, **extra: Any
    ) -> None:
        self.patch({"positions": {symbol: Position(symbol, side, contracts, entry_price, **extra)}})

    def set_account(self, api_key: str, **sections: dict[str, Any]) -> None:
        """Give ``api_key`` its own wallets/positions (JSON-shaped ``balances=``,
        ``futures_balances=``, ``positions=``; a section left out is empty)."""
        self.patch({"accounts": {api_key: sections}})

    def remove(self, section: str, key: str) -> None:
        """Delete one market/ticker/balance/position by key (no-op if absent)."""
        self.patch({section: {key: None}})
