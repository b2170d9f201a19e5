"""Housekeeping paced through the database, so separate cron runs share one schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from store.db import Database
from store.models import MaintenanceRun
from store.rows import insert_if_absent

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def claim_if_due(database: Database, task: str, now: datetime, every: timedelta) -> bool:
    """True, and the task marked as run at `now`, if it last ran `every` or longer ago.

    A cheap read answers the common "not due" case without taking the write lock; the claim
    itself is re-checked under the lock, so of several runners only one wins.
    """
    with database.read() as session:
        last = session.get(MaintenanceRun, task)
        if last is not None and now - last.last_run_at < every:
            return False
    with database.write() as session:
        insert_if_absent(session, MaintenanceRun, {"task": task, "last_run_at": _NEVER})
        row = session.execute(
            select(MaintenanceRun).where(MaintenanceRun.task == task).with_for_update()
        ).scalar_one()
        if now - row.last_run_at < every:
            return False
        row.last_run_at = now
        return True
