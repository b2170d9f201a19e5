"""Writing and reading equity snapshots (one per cycle that values the account), and their
rollup: each time slice's first and last time, lowest and highest equity, for the status
page's plots (`EquityRollup`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import EquityRollup, EquitySnapshot
from store.slices import slice_number, slice_of, slice_start

# The slice widths kept in the rollup: the status page plots a day, a week and 30 days in 240
# slices each (6 min, 42 min, 3 h).
ROLLUP_SECONDS = (360, 2_520, 10_800)


@dataclass(frozen=True)
class Snapshot:
    ts: datetime
    equity: float


class Slice(NamedTuple):
    """The snapshots within one time slice: the first and the last one's time, the lowest
    and the highest equity."""

    ts: datetime
    last_ts: datetime
    low: float
    high: float


class SnapshotHistory:
    """The snapshots of one account in one currency."""

    def __init__(self, session: Session, account: str, currency: str) -> None:
        self.session = session
        self.account = account
        self.currency = currency

    def add(self, ts: datetime, equity: float) -> None:
        """Record a snapshot, and fold it into its slice of every rollup width."""
        owner = {"account": self.account, "currency": self.currency}
        self.session.execute(insert(EquitySnapshot), [{**owner, "ts": ts, "equity": equity}])
        self.session.execute(
            _merge_into_rollup(self.session.get_bind().dialect.name),
            [
                {**owner, "width": width, "bucket": slice_of(ts, width)}
                | {"first_ts": ts, "last_ts": ts, "low": equity, "high": equity}
                for width in ROLLUP_SECONDS
            ],
        )

    def last_between(self, earliest: datetime, latest: datetime) -> Snapshot | None:
        """The newest snapshot taken in [earliest, latest]."""
        return self._first(
            EquitySnapshot.ts >= earliest,
            EquitySnapshot.ts <= latest,
            order=[EquitySnapshot.ts.desc()],
        )

    def first_after(self, moment: datetime) -> Snapshot | None:
        return self._first(EquitySnapshot.ts > moment, order=[EquitySnapshot.ts.asc()])

    def peak(
        self, since: datetime | None = None, before: datetime | None = None
    ) -> Snapshot | None:
        """The highest equity ever recorded (the earliest, if it was reached more than once),
        or the highest taken in [since, before)."""
        conditions = [
            *([EquitySnapshot.ts >= since] if since is not None else []),
            *([EquitySnapshot.ts < before] if before is not None else []),
        ]
        return self._first(
            *conditions, order=[EquitySnapshot.equity.desc(), EquitySnapshot.ts.asc()]
        )

    def slices(self, start: datetime, width: int) -> list[Slice]:
        """The snapshots taken since `start` in slices of `width` seconds (one of
        ROLLUP_SECONDS), in time order: the rollup's rows, but for the slice `start` falls
        in, which is aggregated from its snapshots since `start` (one slice's rows at most)."""
        if width not in ROLLUP_SECONDS:
            raise ValueError(f"no rollup of {width} s slices (kept: {ROLLUP_SECONDS})")
        first = slice_of(start, width)
        head = self._aggregate(start, slice_start(first + 1, width), width)
        rest = self.session.execute(
            select(EquityRollup.first_ts, EquityRollup.last_ts, EquityRollup.low, EquityRollup.high)
            .where(*self._rolled_up(width), EquityRollup.bucket > first)
            .order_by(EquityRollup.bucket)
        )
        return ([head] if head else []) + [Slice(*row) for row in rest]

    def peak_before(self, moment: datetime) -> float | None:
        """The highest equity stored before `moment` (the running peak there, the kept
        all-time peak included): the rollup's widest slices before the one `moment` falls
        in, and that slice's snapshots before `moment`."""
        width = max(ROLLUP_SECONDS)
        current = slice_of(moment, width)
        earlier = self.session.scalar(
            select(func.max(EquityRollup.high)).where(
                *self._rolled_up(width), EquityRollup.bucket < current
            )
        )
        recent = self._aggregate(slice_start(current, width), moment, width)
        highs = (earlier, recent.high if recent else None)
        return max((value for value in highs if value is not None), default=None)

    def rebuild_rollup(self, before: datetime | None = None) -> None:
        """Aggregate the rollup afresh from the snapshots: every slice, or (after snapshots
        older than `before` were pruned) the slices beginning before `before`."""
        for width in ROLLUP_SECONDS:
            stale, source = list(self._rolled_up(width)), list(self._own())
            if before is not None:
                end = slice_of(before, width) + 1
                stale.append(EquityRollup.bucket < end)
                source.append(EquitySnapshot.ts < slice_start(end, width))
            self.session.execute(delete(EquityRollup).where(*stale))
            number, extremes = _per_slice(self.session, width)
            owner = literal(self.account), literal(self.currency), literal(width)
            aggregated = select(*owner, number, *extremes).where(*source).group_by(number)
            columns = ["account", "currency", "width", "bucket", "first_ts", "last_ts"]
            columns += ["low", "high"]
            self.session.execute(insert(EquityRollup).from_select(columns, aggregated))

    def _aggregate(self, since: datetime, until: datetime, width: int) -> Slice | None:
        """The snapshots in [since, until), which lie within one slice of `width` seconds.

        Grouped by that slice, though it is one group: without a GROUP BY, PostgreSQL reads
        min(equity) and max(equity) by walking the (account, currency, equity) index and
        filtering on time, 100 ms and more on 90 days of snapshots."""
        number, extremes = _per_slice(self.session, width)
        row = self.session.execute(
            select(*extremes)
            .where(*self._own(), EquitySnapshot.ts >= since, EquitySnapshot.ts < until)
            .group_by(number)
        ).first()
        return Slice(*row) if row else None

    def _own(self) -> tuple[Any, ...]:
        return EquitySnapshot.account == self.account, EquitySnapshot.currency == self.currency

    def _rolled_up(self, width: int) -> tuple[Any, ...]:
        return (
            EquityRollup.account == self.account,
            EquityRollup.currency == self.currency,
            EquityRollup.width == width,
        )

    def _first(self, *conditions: Any, order: list[Any]) -> Snapshot | None:
        query = (
            select(EquitySnapshot.ts, EquitySnapshot.equity)
            .where(*self._own(), *conditions)
            .order_by(*order)
            .limit(1)
        )
        row = self.session.execute(query).first()
        return Snapshot(row.ts, row.equity) if row else None


def rolled_up_accounts(session: Session) -> list[tuple[str, str]]:
    """Every (account, currency) with a rollup."""
    query = select(EquityRollup.account, EquityRollup.currency).where(
        EquityRollup.width == max(ROLLUP_SECONDS)
    )
    return [(account, currency) for account, currency in session.execute(query.distinct())]


def rebuild_all_rollups(session: Session) -> None:
    """The rollup of every account and currency, from its snapshots (after a bulk insert, or
    when the rollup was created)."""
    query = select(EquitySnapshot.account, EquitySnapshot.currency).distinct()
    for account, currency in session.execute(query).all():
        SnapshotHistory(session, account, currency).rebuild_rollup()


def _per_slice(session: Session, width: int) -> tuple[Any, tuple[Any, ...]]:
    """The slice of `width` seconds a snapshot falls in, and a slice's first and last time,
    lowest and highest equity (to group by it)."""
    number = slice_number(session, EquitySnapshot.ts, width)
    extremes = (
        func.min(EquitySnapshot.ts),
        func.max(EquitySnapshot.ts),
        func.min(EquitySnapshot.equity),
        func.max(EquitySnapshot.equity),
    )
    return number, extremes


@cache
def _merge_into_rollup(dialect: str) -> Any:
    """An upsert of rollup rows: a slice already there keeps the earlier first time, the
    later last time, the lower low and the higher high. Built once per dialect (building it
    cost more than running it)."""
    postgres = dialect == "postgresql"
    statement = (postgresql.insert if postgres else sqlite.insert)(EquityRollup)
    lower, higher = (func.least, func.greatest) if postgres else (func.min, func.max)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["account", "currency", "width", "bucket"],
        set_={
            "first_ts": lower(EquityRollup.first_ts, new.first_ts),
            "last_ts": higher(EquityRollup.last_ts, new.last_ts),
            "low": lower(EquityRollup.low, new.low),
            "high": higher(EquityRollup.high, new.high),
        },
    )
