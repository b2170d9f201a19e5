"""Tables of alert-matrix's database. The schema itself is created by Alembic migrations
(`store/migrations`); a test keeps these models and the migrations identical."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.types import JsonDict, UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CheckRun(Base):
    """One evaluation of one check: for `history`, metrics and the daemon's own health."""

    __tablename__ = "check_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(100))
    check_name: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_ms: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index(None, "account", "check_name", "started_at"),
        # The runs that could not evaluate (the board counts a day's): few, so a partial
        # index finds them without reading every run, and costs a successful run nothing.
        Index(
            "ix_check_runs_failures",
            "account",
            "check_name",
            "started_at",
            sqlite_where=text("error IS NOT NULL"),
            postgresql_where=text("error IS NOT NULL"),
        ),
    )


class Alert(Base):
    """The state of one alert, keyed `ACCOUNT:NAME`; survives restarts so nothing repeats.

    `firing` is the condition as last known: an UNKNOWN evaluation leaves it as it was.
    """

    __tablename__ = "alerts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    account: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    firing: Mapped[bool] = mapped_column(Boolean, default=False)
    severity: Mapped[str] = mapped_column(String(16))
    last_status: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    first_seen: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_seen: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_evaluated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state_since: Mapped[datetime] = mapped_column(UtcDateTime)
    last_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    notified_severity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    notification_count: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    consecutive_unknown: Mapped[int] = mapped_column(Integer, default=0)
    unknown_since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    unknown_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index(None, "account", "name", unique=True),)


# SQLite only auto-increments an INTEGER PRIMARY KEY; elsewhere ids get 64 bits.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ErrorEvent(Base):
    """The bot's persisted error log, indexed for window queries by kind and time."""

    __tablename__ = "error_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    account: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    symbol: Mapped[str | None] = mapped_column(String(64), nullable=True)
    code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    context: Mapped[dict[str, Any] | None] = mapped_column(JsonDict, nullable=True)

    __table_args__ = (Index(None, "account", "kind", "ts"), Index(None, "ts"))


class ErrorLogCursor(Base):
    """How far the JSON-lines error log at `path` (on `host`) has been ingested.

    It moves in the same transaction as the events it covers, so every line is stored exactly
    once. `file_id` (`device:inode`) and `fingerprint` (a hash of the first line) name the
    file being read, so a rotated, replaced or truncated file is told apart from the one at
    `path`. The counters are running totals for `check` context and `status`.
    """

    __tablename__ = "error_log_cursors"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    path: Mapped[str] = mapped_column(String(1024), primary_key=True)
    file_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    line_number: Mapped[int] = mapped_column(BigInteger, default=0)
    lines_ingested: Mapped[int] = mapped_column(BigInteger, default=0)
    bad_lines: Mapped[int] = mapped_column(BigInteger, default=0)
    last_bad_line: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_bad_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MaintenanceRun(Base):
    """When a housekeeping task (e.g. error-log pruning) last ran, so cron runs share a pace."""

    __tablename__ = "maintenance_runs"

    task: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Silence(Base):
    """`silence NAME --for 2h`: delivery of NAME is muted until `until` (or `unsilence`)."""

    __tablename__ = "silences"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    until: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (Index(None, "account", "name", "until"),)


class AlertEvent(Base):
    """The history of every alert: what happened to it and when, muted or not."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200))
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    event: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any] | None] = mapped_column(JsonDict, nullable=True)

    __table_args__ = (Index(None, "key", "ts"), Index(None, "ts"))


class OutboxItem(Base):
    """One notification for one channel. Written in the transaction of the state change
    that caused it; claimed, sent and marked by delivery, so none is lost or sent twice."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notification_id: Mapped[str] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(100))  # the channel's name, never its URL
    alert_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # firing / resolved / test
    severity: Mapped[str] = mapped_column(String(16))
    escalated: Mapped[bool] = mapped_column(Boolean)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))  # pending / sending / sent / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index(None, "notification_id", "channel", unique=True),
        Index(None, "state", "next_attempt_at"),
        Index(None, "alert_key", "channel", "id"),
    )


class EquitySnapshot(Base):
    """The account's equity as valued at one cycle: the day, week and peak baselines of the
    loss checks come from these (per account label and currency)."""

    __tablename__ = "equity_snapshots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(16))
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    equity: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        Index(None, "account", "currency", "ts"),
        Index(None, "account", "currency", "equity"),  # the peak without a scan
    )


class EquityRollup(Base):
    """The equity snapshots of one account and currency within one time slice of `width`
    seconds (the slice `bucket` counted from the epoch): the first and last time, the lowest
    and the highest equity. Written with each snapshot and aggregated afresh after pruning, so it
    always equals its snapshots, and a 30-day plot reads 240 rows instead of every snapshot."""

    __tablename__ = "equity_rollups"

    account: Mapped[str] = mapped_column(String(100), primary_key=True)
    currency: Mapped[str] = mapped_column(String(16), primary_key=True)
    width: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_ts: Mapped[datetime] = mapped_column(UtcDateTime)
    last_ts: Mapped[datetime] = mapped_column(UtcDateTime)
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)


class MarketsCache(Base):
    """The exchange's market list as ccxt loaded it, kept for `exchange.markets_ttl_seconds`
    so that a cron run (a new process each time) need not load it again."""

    __tablename__ = "markets_cache"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(100))
    exchange: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # spot / derivatives
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON

    __table_args__ = (Index(None, "account", "exchange", "kind", unique=True),)


class Transfer(Base):
    """A deposit (amount > 0) or withdrawal (< 0), in the equity currency: money that moved
    in or out without being a trading result, so the loss checks' baselines move with it."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(16))
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    amount: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))  # operator / exchange
    ref: Mapped[str] = mapped_column(String(200))  # the exchange's id; the operator's note
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index(None, "account", "currency", "ts"),
        Index(None, "account", "source", "ref", unique=True),
    )
