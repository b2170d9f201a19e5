"""Day and week boundaries in `timezone`, and the equity baselines taken from snapshots,
across midnight, Monday and both DST changes of America/New_York (freezegun)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from config.loader import Settings
from config.models import AppConfig
from core import clock
from core.periods import day_start, week_start
from jobs.settings import SCHEMA
from sources.collect import SourceContext
from sources.equity import from_snapshots
from store.db import Database
from store.migrate import ensure_schema
from tests.helpers import policy

NY = ZoneInfo("America/New_York")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now_utc", "day", "week"),
    [
        # a Friday: 23:59:59 local is still the 27th, 00:00 local is the 28th
        ("2026-11-28 04:59:59", "2026-11-27 05:00", "2026-11-23 05:00"),
        ("2026-11-28 05:00:00", "2026-11-28 05:00", "2026-11-23 05:00"),
        # Sunday 23:59:59 belongs to the week of Monday the 23rd; Monday 00:00 starts a new one
        ("2026-11-30 04:59:59", "2026-11-29 05:00", "2026-11-23 05:00"),
        ("2026-11-30 05:00:00", "2026-11-30 05:00", "2026-11-30 05:00"),
        # DST begins Sunday 8 March 2026 at 02:00 EST: the day began at 00:00 EST (05:00 UTC)
        ("2026-03-08 12:00:00", "2026-03-08 05:00", "2026-03-02 05:00"),
        ("2026-03-09 04:00:00", "2026-03-09 04:00", "2026-03-09 04:00"),  # 00:00 EDT Monday
        # DST ends Sunday 1 November 2026 at 02:00 EDT: the day began at 00:00 EDT (04:00 UTC)
        ("2026-11-02 04:30:00", "2026-11-01 04:00", "2026-10-26 04:00"),  # 23:30 EST Sunday
        ("2026-11-02 05:00:00", "2026-11-02 05:00", "2026-11-02 05:00"),  # 00:00 EST Monday
    ],
)
def test_day_and_week_start_at_local_midnight(now_utc, day, week):
    with freeze_time(_utc(now_utc)):
        now = clock.now(NY)
    assert day_start(now, NY) == _utc(day)
    assert week_start(now, NY) == _utc(week)
    assert day_start(now, NY).astimezone(NY).hour == 0


def test_utc_is_the_default():
    now = datetime(2026, 11, 29, 23, 59, tzinfo=UTC)  # a Sunday
    assert day_start(now, UTC) == datetime(2026, 11, 29, tzinfo=UTC)
    assert week_start(now, UTC) == datetime(2026, 11, 23, tzinfo=UTC)


class Ledger:
    """Cycles of a runner in New York that values the account at given UTC times."""

    def __init__(self, tmp_path, timezone: str = "America/New_York") -> None:
        self.database = Database(f"sqlite:///{tmp_path / 'alerts.db'}")
        ensure_schema(self.database)
        app = AppConfig.model_validate({"timezone": timezone, "account": "acct"})
        self.settings = Settings(tmp_path, app, policy(), SCHEMA, frozenset())

    def value(self, at_utc: str, total: float, *, dry_run: bool = False):
        with freeze_time(_utc(at_utc)):
            ctx = SourceContext(
                settings=self.settings,
                now=clock.now(self.settings.app.tz),
                database=lambda: self.database,
                dry_run=dry_run,
            )
            return from_snapshots(ctx, total, "USD")


def test_first_snapshot_of_a_new_runner_is_its_own_baseline(tmp_path):
    equity = Ledger(tmp_path).value("2026-11-27 15:00", 10_000.0)
    assert equity.day_start.value == 10_000.0
    assert equity.day_start.source.startswith("first snapshot after the start of the day")
    assert equity.day_start.at == _utc("2026-11-27 15:00")
    assert equity.day_start.period_start == _utc("2026-11-27 05:00")
    assert equity.peak.source == "the current equity is the highest recorded"


def test_day_start_across_midnight(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-27 15:00", 10_000.0)
    ledger.value("2026-11-28 04:59:30", 9_900.0)  # 23:59:30 in New York
    before = ledger.value("2026-11-28 04:59:59", 9_800.0)
    assert before.day_start.value == 10_000.0  # still the 27th
    after = ledger.value("2026-11-28 05:00:30", 9_700.0)  # 00:00:30 on the 28th
    assert after.day_start.value == 9_800.0
    assert after.day_start.source == "last snapshot at or before the start of the day"
    assert after.day_start.at == _utc("2026-11-28 04:59:59")


def test_a_snapshot_exactly_at_midnight_counts_as_before(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-28 05:00:00", 9_000.0)
    assert ledger.value("2026-11-28 05:00:01", 8_000.0).day_start.value == 9_000.0


def test_a_runner_down_over_midnight_measures_from_the_first_snapshot_after(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-28 03:59:00", 10_000.0)  # 22:59 the day before: over an hour
    ledger.value("2026-11-28 07:00:00", 9_500.0)
    equity = ledger.value("2026-11-28 08:00:00", 9_400.0)
    assert equity.day_start.value == 9_500.0
    assert equity.day_start.source == (
        "first snapshot after the start of the day (none in the 60 minutes before it)"
    )
    assert equity.day_start.at == _utc("2026-11-28 07:00:00")


def test_week_start_is_monday_midnight(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-23 04:30", 11_000.0)  # Sunday 23:30 in New York
    ledger.value("2026-11-25 12:00", 10_500.0)
    equity = ledger.value("2026-11-30 04:59", 10_000.0)  # Sunday 23:59, same week
    assert equity.week_start.value == 11_000.0
    assert equity.week_start.period_start == _utc("2026-11-23 05:00")
    monday = ledger.value("2026-11-30 05:10", 9_990.0)
    assert monday.week_start.value == 10_000.0
    assert monday.day_start.value == 10_000.0


def test_dst_start_day_boundary(tmp_path):
    """8 March 2026: the day starts at 00:00 EST = 05:00 UTC, though it ends in EDT."""
    ledger = Ledger(tmp_path)
    ledger.value("2026-03-08 04:59:00", 10_000.0)  # 23:59 EST on the 7th
    ledger.value("2026-03-08 05:01:00", 9_000.0)
    equity = ledger.value("2026-03-09 03:30:00", 9_500.0)  # 23:30 EDT on the 8th
    assert equity.day_start.value == 10_000.0
    next_day = ledger.value("2026-03-09 04:01:00", 9_400.0)  # 00:01 EDT on the 9th
    assert next_day.day_start.period_start == _utc("2026-03-09 04:00")
    assert next_day.day_start.value == 9_500.0


def test_dst_end_day_boundary(tmp_path):
    """1 November 2026 has 25 hours: 23:30 EST is still that day, measured from 04:00 UTC."""
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-01 03:30:00", 10_000.0)  # 23:30 EDT on 31 October
    equity = ledger.value("2026-11-02 04:30:00", 9_000.0)  # 23:30 EST on 1 November
    assert equity.day_start.period_start == _utc("2026-11-01 04:00")
    assert equity.day_start.value == 10_000.0


def test_peak_is_the_highest_snapshot(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-20 12:00", 12_000.0)
    ledger.value("2026-11-21 12:00", 12_000.0)
    ledger.value("2026-11-22 12:00", 11_000.0)
    peak = ledger.value("2026-11-27 12:00", 10_000.0).peak
    assert (peak.value, peak.at) == (12_000.0, _utc("2026-11-20 12:00"))
    assert peak.source == "highest snapshot recorded"
    assert ledger.value("2026-11-27 12:01", 12_500.0).peak.value == 12_500.0


def test_dry_run_evaluates_without_writing(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-28 04:00", 10_000.0)
    dry = ledger.value("2026-11-28 06:00", 13_000.0, dry_run=True)
    assert dry.day_start.value == 10_000.0 and dry.peak.value == 13_000.0
    again = ledger.value("2026-11-28 06:01", 12_000.0, dry_run=True)
    assert again.peak.value == 12_000.0  # 13 000 was never recorded
    elsewhere = tmp_path / "fresh"
    elsewhere.mkdir()
    fresh = Ledger(elsewhere).value("2026-11-28 06:00", 1.0, dry_run=True)
    assert fresh.day_start.value == 1.0  # nothing stored: the current value


def test_snapshots_are_per_account_and_currency(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.value("2026-11-27 12:00", 50_000.0)
    other = Ledger(tmp_path)
    other.settings = Settings(
        tmp_path, AppConfig.model_validate({"account": "other"}), policy(), SCHEMA, frozenset()
    )
    assert other.value("2026-11-27 13:00", 10.0).peak.value == 10.0
    assert ledger.value("2026-11-27 13:00", 10.0).peak.value == 50_000.0
