"""The equity rollup gives the plots exactly what the snapshots give, on SQLite and PostgreSQL:
the same slices and points for a day, a week and 30 days (window edges, gaps, a peak inside
the window), the running peak before the window, and it stays equal to the snapshots through
pruning and the migration that created it."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from store.db import Database
from store.equity_snapshots import ROLLUP_SECONDS, Slice, SnapshotHistory
from store.migrate import ensure_schema, upgrade
from store.models import EquityRollup, EquitySnapshot
from store.retention import prune_history
from tests.conftest import PG_ENV, scratch_database
from tests.helpers import settings
from web.equity import SLICES, WINDOWS, _drawdown, _min_max_path, equity_series

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Not on a slice boundary of any width: every window starts inside a slice.
NOW = datetime(2026, 11, 27, 12, 7, 13, 250_000, tzinfo=UTC)
ALL_TIME_PEAK = 20_000.0


@contextmanager
def _empty(kind: str, folder: Path) -> Iterator[Database]:
    """A migrated database of that kind."""
    with ExitStack() as stack:
        if kind == "sqlite":
            url = f"sqlite:///{folder / 'rollup.db'}"
        elif not os.environ.get(PG_ENV):
            pytest.skip(f"{PG_ENV} is not set")
        else:
            url = stack.enter_context(scratch_database(os.environ[PG_ENV]))
        database = Database(url)
        stack.callback(database.close)
        ensure_schema(database)
        yield database


KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=KINDS)
def filled(request, tmp_path_factory) -> Iterator[Database]:
    """The snapshots written one by one as a cycle writes them, in shuffled order."""
    with _empty(request.param, tmp_path_factory.mktemp("filled")) as database:
        snapshots = _snapshots()
        _add(database, random.Random(3).sample(snapshots, len(snapshots)))
        yield database


@pytest.fixture(params=KINDS)
def store(request, tmp_path) -> Iterator[Database]:
    with _empty(request.param, tmp_path) as database:
        yield database


def _snapshots() -> list[tuple[datetime, float]]:
    """40 days at an uneven pace (denser in the last two), with a six-hour gap, snapshots
    exactly on and around every window's start and on slice boundaries, and the all-time peak
    inside the 30-day window."""
    rng = random.Random(12)
    moments, moment = [], NOW - timedelta(days=40)
    while moment <= NOW:
        moments.append(moment)
        pace = 600 if moment > NOW - timedelta(days=2) else 3_000  # seconds at most
        moment += timedelta(seconds=rng.randint(20, pace), microseconds=rng.randint(0, 999_999))
    gap = (NOW - timedelta(days=3), NOW - timedelta(days=3) + timedelta(hours=6))
    moments = [m for m in moments if not gap[0] <= m < gap[1]]
    for span in WINDOWS.values():
        start = NOW - span
        width = timedelta(seconds=int(span.total_seconds()) // SLICES)
        boundary = EPOCH + (start - EPOCH) // width * width + width
        tiny = timedelta(microseconds=1)
        moments += [start - tiny, start, start + tiny, boundary - tiny, boundary]
    values = [(m, round(10_000 + rng.uniform(-900, 900), 2)) for m in sorted(moments)]
    peak_at = NOW - timedelta(days=12)
    return [*values, (peak_at, ALL_TIME_PEAK), (peak_at + timedelta(hours=1), 15_000.0)]


def _add(database: Database, snapshots: list[tuple[datetime, float]]) -> None:
    with database.write() as session:
        history = SnapshotHistory(session, "default", "USD")
        for ts, equity in snapshots:
            history.add(ts, equity)


def _raw_slices(
    snapshots: list[tuple[datetime, float]], start: datetime, width: int
) -> list[Slice]:
    """The reference: the snapshots since `start`, grouped by time slice in plain Python."""
    groups: dict[int, list[tuple[datetime, float]]] = {}
    for ts, equity in snapshots:
        if ts >= start:
            groups.setdefault((ts - EPOCH) // timedelta(seconds=width), []).append((ts, equity))
    return [
        Slice(
            *(f(ts for ts, _ in group) for f in (min, max)),
            *(f(e for _, e in group) for f in (min, max)),
        )
        for _, group in sorted(groups.items())
    ]


def _rollup(database: Database) -> list[tuple]:
    columns = EquityRollup.__table__.c
    with database.read() as session:
        return [tuple(row) for row in session.execute(select(*columns).order_by(*columns))]


def test_every_window_plots_from_the_rollup_what_the_snapshots_give(filled):
    snapshots = _snapshots()
    page = settings(filled)
    for window, span in WINDOWS.items():
        start, width = NOW - span, int(span.total_seconds()) // SLICES
        expected = _raw_slices(snapshots, start, width)
        with filled.read() as session:
            assert SnapshotHistory(session, "default", "USD").slices(start, width) == expected
            series = equity_series(session, page, "default", window, NOW)
        assert expected[0].ts == start  # a snapshot exactly at the window's start
        assert SLICES // 2 < len(expected) <= SLICES + 1
        seed = max(equity for ts, equity in snapshots if ts < start)
        assert series.points == _min_max_path(expected)
        assert series.drawdown == _drawdown(expected, seed)
    assert max(value for _, value in series.points) == ALL_TIME_PEAK  # the 30-day plot's


def test_the_upserted_rollup_equals_one_aggregated_afresh(filled):
    written = _rollup(filled)
    with filled.write() as session:
        SnapshotHistory(session, "default", "USD").rebuild_rollup()
    assert _rollup(filled) == written
    assert {row[2] for row in written} == set(ROLLUP_SECONDS)


def test_the_running_peak_before_a_window_is_the_highest_snapshot_before_it(filled):
    snapshots = _snapshots()
    with filled.read() as session:
        history = SnapshotHistory(session, "default", "USD")
        for moment in (NOW - timedelta(days=12, seconds=1), NOW - timedelta(days=12), NOW):
            expected = max(equity for ts, equity in snapshots if ts < moment)
            assert history.peak_before(moment) == expected
        assert history.peak_before(NOW - timedelta(days=50)) is None


def test_pruning_snapshots_prunes_the_rollup_and_keeps_the_peak(store):
    old_peak = (NOW - timedelta(days=60), 30_000.0)
    _add(store, [old_peak, *_snapshots()[::3]])
    assert prune_history(store, 30, NOW) > 0
    with store.read() as session:
        kept = sorted(session.execute(select(EquitySnapshot.ts, EquitySnapshot.equity)).all())
        history = SnapshotHistory(session, "default", "USD")
        assert history.peak_before(NOW - timedelta(days=29)) == 30_000.0
    assert kept[0] == old_peak and kept[1][0] >= NOW - timedelta(days=30)
    pruned = _rollup(store)
    with store.write() as session:
        SnapshotHistory(session, "default", "USD").rebuild_rollup()
    assert pruned == _rollup(store)  # nothing left of the pruned snapshots
    start = NOW - timedelta(days=30)
    with store.read() as session:
        assert SnapshotHistory(session, "default", "USD").slices(start, 10_800) == _raw_slices(
            [tuple(row) for row in kept], start, 10_800
        )


def test_the_migration_rolls_up_the_snapshots_already_stored(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database, "0007")
    snapshots = _snapshots()
    with database.write() as session:
        rows = [{"account": "a", "currency": "USD", "ts": ts, "equity": e} for ts, e in snapshots]
        session.execute(insert(EquitySnapshot), rows)
    ensure_schema(database)
    start = NOW - WINDOWS["week"]
    with database.read() as session:
        assert SnapshotHistory(session, "a", "USD").slices(start, 2_520) == _raw_slices(
            snapshots, start, 2_520
        )
    database.close()


def test_each_window_plots_slices_the_store_rolls_up():
    assert {int(span.total_seconds()) // SLICES for span in WINDOWS.values()} == set(ROLLUP_SECONDS)
