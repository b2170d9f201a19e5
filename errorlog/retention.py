"""Pruning the error log: events older than `error_log.retention_days` go, in small batches,
so no single delete holds SQLite's write lock (and the bot's writes) for long."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from store.db import Database
from store.maintenance import claim_if_due
from store.models import ErrorEvent

log = logging.getLogger(__name__)

PRUNE_BATCH = 5000
PRUNE_EVERY = timedelta(hours=1)
_TASK = "error_log_prune"


def prune_error_log(
    database: Database, retention_days: int, now: datetime, batch: int = PRUNE_BATCH
) -> int:
    """Delete events older than the retention, one batch per transaction; how many went.
    The daemon schedules this as its own job."""
    cutoff = now - timedelta(days=retention_days)
    oldest = select(ErrorEvent.id).where(ErrorEvent.ts < cutoff).limit(batch)
    total = 0
    while True:
        with database.write() as session:
            result = session.execute(delete(ErrorEvent).where(ErrorEvent.id.in_(oldest)))
        total += result.rowcount
        if result.rowcount < batch:
            break
    if total:
        log.info("error log: pruned %d events older than %s", total, cutoff.isoformat())
    return total


def prune_if_due(database: Database, retention_days: int, now: datetime) -> int | None:
    """Prune at most once per hour across every process sharing the database (so a cron
    set-up prunes too); None when it was not due."""
    if not claim_if_due(database, _TASK, now, PRUNE_EVERY):
        return None
    return prune_error_log(database, retention_days, now)
