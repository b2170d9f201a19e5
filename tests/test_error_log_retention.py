"""Retention: old events are pruned in batches, at most once an hour when done by the way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from checks.rejections import Rejections
from errorlog.retention import prune_error_log, prune_if_due
from tests.helpers import add_event, evaluate, settings, stored_events

NOW = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


def _ages(database) -> list[float]:
    return sorted((NOW - event.ts).days for event in stored_events(database))


def test_only_events_older_than_the_retention_are_pruned_in_batches(database):
    for days in (45, 40, 35, 31, 30.5, 29, 1, 0):
        add_event(database, "api_error", NOW - timedelta(days=days))
    assert prune_error_log(database, 30, NOW, batch=2) == 5
    assert _ages(database) == [0, 1, 29]


def test_pruning_by_the_way_runs_at_most_once_an_hour(database):
    add_event(database, "api_error", NOW - timedelta(days=40))
    assert prune_if_due(database, 30, NOW) == 1
    add_event(database, "api_error", NOW - timedelta(days=40))
    assert prune_if_due(database, 30, NOW + timedelta(minutes=59)) is None
    assert prune_if_due(database, 30, NOW + timedelta(minutes=60)) == 1


def test_a_recorded_cycle_prunes_by_the_way_a_dry_run_does_not(database):
    add_event(database, "order_rejected", NOW - timedelta(days=8))
    configured = settings(database, error_log={"retention_days": 7})
    with freeze_time(NOW):
        evaluate(configured, Rejections(), dry_run=True)
        assert len(stored_events(database)) == 1
        evaluate(configured, Rejections(), dry_run=False)
    assert stored_events(database) == []
