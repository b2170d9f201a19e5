"""Retention: old rows are pruned in batches, at most once an hour when done by the way."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from checks.registry import CHECKS
from jobs.cycle import CycleOptions, run_cycle
from jobs.runtime import Runtime
from store.models import AlertEvent, CheckRun, OutboxItem
from store.outbox import enqueue
from store.retention import KeepDays, prune_error_log, prune_history, prune_if_due
from tests.channels.sample import notification
from tests.helpers import add_event, settings, stored_events

NOW = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


def _ages(database) -> list[float]:
    return sorted((NOW - event.ts).days for event in stored_events(database))


def test_only_events_older_than_the_retention_are_pruned_in_batches(database):
    for days in (45, 40, 35, 31, 30.5, 29, 1, 0):
        add_event(database, "api_error", NOW - timedelta(days=days))
    assert prune_error_log(database, 30, NOW, batch=2) == 5
    assert _ages(database) == [0, 1, 29]


def test_history_keeps_undelivered_notifications(database):
    old = NOW - timedelta(days=40)
    with database.write() as session:
        session.add(
            CheckRun(
                account="default",
                check_name="kill_switch",
                started_at=old,
                duration_ms=1,
                status="OK",
                summary="",
            )
        )
        session.add(
            AlertEvent(
                key="default:kill_switch", ts=old, event="firing", severity="CRITICAL", summary=""
            )
        )
        alert = notification(key="default:kill_switch")
        enqueue(session, "delivered", ["hooks"], alert, old)
        enqueue(session, "waiting", ["hooks"], alert, old)
    with database.write() as session:
        session.execute(
            OutboxItem.__table__.update()
            .where(OutboxItem.notification_id == "delivered")
            .values(state="sent")
        )
    assert prune_history(database, 30, NOW) == 3
    with database.read() as session:
        left = session.scalars(select(OutboxItem.notification_id)).all()
        assert left == ["waiting"]
        assert session.scalar(select(func.count()).select_from(CheckRun)) == 0


def test_pruning_by_the_way_runs_at_most_once_an_hour(database):
    configured = KeepDays(error_log=30, history=30)
    add_event(database, "api_error", NOW - timedelta(days=40))
    assert prune_if_due(database, configured, NOW) == 1
    add_event(database, "api_error", NOW - timedelta(days=40))
    assert prune_if_due(database, configured, NOW + timedelta(minutes=59)) is None
    assert prune_if_due(database, configured, NOW + timedelta(minutes=60)) == 1


def test_a_recorded_cycle_prunes_by_the_way_a_dry_run_does_not(database):
    add_event(database, "order_rejected", NOW - timedelta(days=8))
    runtime = Runtime(settings(database, error_log={"retention_days": 7}))
    with freeze_time(NOW):
        run_cycle(runtime, [CHECKS["rejections"]], CycleOptions(dry_run=True))
        assert len(stored_events(database)) == 1
        run_cycle(runtime, [CHECKS["rejections"]])
    runtime.close()
    assert stored_events(database) == []


def test_old_equity_snapshots_go_but_the_peak_stays(database):
    from store.models import EquitySnapshot

    with database.write() as session:
        for days, equity in ((60, 12_000.0), (50, 11_000.0), (40, 9_000.0), (1, 10_000.0)):
            session.add(
                EquitySnapshot(
                    account="default", currency="USD", ts=NOW - timedelta(days=days), equity=equity
                )
            )
    assert prune_history(database, 30, NOW) == 2
    with database.read() as session:
        left = sorted(session.scalars(select(EquitySnapshot.equity)).all())
    assert left == [10_000.0, 12_000.0]


def test_cron_prunes_old_rows_through_the_real_cli(workspace):
    """Two `check` runs as cron would make them: the first prunes, the second finds it done
    within the hour (the time is kept in the database, shared by every process)."""
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths: {{kill_switch_file: {workspace.kill_switch}, state_file: {workspace.state_file}}}
        error_log: {{retention_days: 1}}
        """
    )
    old = datetime.now(UTC) - timedelta(days=10)
    logged = workspace.run("log-event", "order_rejected", "--ts", old.isoformat())
    assert logged.returncode == 0, logged.stderr
    for command in (("check", "rejections"), ("check", "all")):
        workspace.run(*command)
    with sqlite3.connect(workspace.database) as connection:
        assert connection.execute("SELECT count(*) FROM error_events").fetchone() == (0,)
        [(task, count)] = connection.execute(
            "SELECT task, count(*) FROM maintenance_runs GROUP BY task"
        ).fetchall()
    assert (task, count) == ("retention", 1)
