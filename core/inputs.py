"""What checks read: the names of the inputs and the plain data each one carries.

Sources (I/O) produce these values; checks (pure) consume them. Nothing here reads a file
or the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any


class InputName(StrEnum):
    KILL_SWITCH = "kill_switch_file"
    BOT_STATE = "state_file"
    ERROR_LOG = "error_log"
    EQUITY = "equity"
    EXCHANGE_MARKETS = "exchange_markets"
    EXCHANGE_TICKERS = "exchange_tickers"
    EXCHANGE_HOLDINGS = "exchange_holdings"


@dataclass(frozen=True)
class KillSwitchFile:
    """The kill-switch file as found: whether it exists, and if so what it says and when."""

    path: Path
    exists: bool
    content: str = ""
    modified_at: datetime | None = None


@dataclass(frozen=True)
class Position:
    symbol: str  # normalised to `BASE/QUOTE`
    quantity: float
    entry_price: float | None = None


@dataclass(frozen=True)
class BotState:
    """The bot's state file, validated."""

    path: Path
    positions: dict[str, Position]
    updated_at: datetime | None  # from the file's `updated_at` field
    modified_at: datetime  # the file's mtime, used when `updated_at` is absent
    equity: float | None = None
    day_start_equity: float | None = None
    week_start_equity: float | None = None
    peak_equity: float | None = None

    @property
    def last_update(self) -> tuple[datetime, str]:
        """When the bot last wrote its state, and where that time came from."""
        if self.updated_at is not None:
            return self.updated_at, "updated_at"
        return self.modified_at, "file mtime"


@dataclass(frozen=True)
class EventQuery:
    """Which error-log events a check reads: those of `kind` newer than `since` (exclusive:
    an event exactly `window` seconds old is out) and, with `after_kind`, only those after
    the newest event of that kind inside the window (API errors since the last success);
    with `source`, only events of that source (`bot` or `runner`)."""

    kind: str
    since: datetime
    after_kind: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class LoggedEvent:
    """One stored error-log event, as the checks see it."""

    ts: datetime
    source: str
    symbol: str | None = None
    code: str | None = None
    message: str | None = None
    context: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class EventWindow:
    """The answer to one `EventQuery`: the newest events first, capped in number, with the
    exact `total` and the time of the `oldest` even when capped; `after` is the time of the
    newest `after_kind` event found in the window."""

    events: tuple[LoggedEvent, ...]
    total: int
    oldest: datetime | None
    after: datetime | None = None


@dataclass(frozen=True)
class JsonlStatus:
    """What ingestion of the bot's JSON-lines file skipped so far (running totals)."""

    bad_lines: int
    last_bad_line: str | None


@dataclass(frozen=True)
class LoggedEvents:
    """The error log of the cycle's account: one window per query the checks asked for."""

    windows: Mapping[EventQuery, EventWindow]
    jsonl: JsonlStatus | None = None


@dataclass(frozen=True)
class Market:
    """One exchange market, from ccxt's unified structure (`type`: spot, swap, future...)."""

    symbol: str
    base: str
    quote: str
    type: str
    active: bool


CONTRACT_TYPES = ("swap", "future")


@dataclass(frozen=True)
class Markets:
    """The exchange's markets, and whether the account trades derivatives or spot."""

    derivatives: bool
    by_symbol: dict[str, Market]

    @property
    def kind(self) -> str:
        return "derivatives" if self.derivatives else "spot"

    def of_account_kind(self, market: Market) -> bool:
        """Spot accounts trade spot markets; derivatives accounts swaps and futures."""
        return market.type in CONTRACT_TYPES if self.derivatives else market.type == "spot"


@dataclass(frozen=True)
class Ticker:
    """One 24 h ticker; `quote_volume` is in the market's quote currency, `base_volume` in
    its base currency."""

    symbol: str
    last: float | None = None
    bid: float | None = None
    ask: float | None = None
    quote_volume: float | None = None
    base_volume: float | None = None
    vwap: float | None = None

    @property
    def volume(self) -> float | None:
        """24 h volume in the quote currency: as reported, else the base volume times the last
        price (or the volume-weighted average); None when the exchange tells neither (some
        report only a base volume, e.g. bitfinex)."""
        if self.quote_volume is not None:
            return self.quote_volume
        price = self.last if self.last is not None and self.last > 0 else self.vwap
        if self.base_volume is None or price is None:
            return None
        return self.base_volume * price

    @property
    def price(self) -> float | None:
        """The last trade, else the middle of the book; None when neither is a real price."""
        if self.last is not None and self.last > 0:
            return self.last
        if self.bid is not None and self.ask is not None and self.bid > 0 and self.ask > 0:
            return (self.bid + self.ask) / 2
        return None


@dataclass(frozen=True)
class Holdings:
    """What the exchange says the account holds, in the bot's terms.

    Spot: total amount per asset code (`BTC`). Derivatives: signed position size in base
    units per `BASE/QUOTE` (a short is negative; the `:SETTLE` suffix is dropped).
    """

    derivatives: bool
    quantities: dict[str, float]


@dataclass(frozen=True)
class Baseline:
    """An equity figure a change is measured from; `value` None means it is not known and
    `source` says why, otherwise `source` says how it was chosen."""

    value: float | None
    source: str
    at: datetime | None = None  # when the figure was taken (snapshots only)
    period_start: datetime | None = None  # 00:00 of the day or week it stands for


@dataclass(frozen=True)
class Equity:
    """The account's equity now and the baselines the loss checks compare it with."""

    value: float
    currency: str
    source: str  # "exchange" or "state file"
    day_start: Baseline
    week_start: Baseline
    peak: Baseline
    unpriced: tuple[str, ...] = ()  # assets left out: no active market prices them
    details: Mapping[str, Any] = field(default_factory=dict)  # how it was found (context)


@dataclass
class Inputs:
    """One cycle's inputs: each needed one is either a value or the reason it is missing."""

    values: dict[InputName, Any] = field(default_factory=dict)
    errors: dict[InputName, str] = field(default_factory=dict)
    exchange_failures: set[InputName] = field(default_factory=set)  # errors the exchange caused

    def __getitem__(self, name: InputName) -> Any:
        return self.values[name]
