"""Retention: what is older than its keep-time goes, in small batches, so no single delete
holds SQLite's write lock (and the bot's writes) for long.

The error log keeps `error_log.retention_days`; the history (check runs, alert events,
delivered or failed outbox rows, equity snapshots but the peak) keeps
`history.retention_days`. Alert state, silences, undelivered notifications and the equity
peak are never pruned. The equity rollup is aggregated afresh where snapshots went, so it
always equals the snapshots kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from store.db import Database
from store.equity_snapshots import SnapshotHistory, rolled_up_accounts
from store.maintenance import claim_if_due
from store.models import AlertEvent, CheckRun, EquitySnapshot, ErrorEvent, OutboxItem
from store.outbox import FAILED, SENT

log = logging.getLogger(__name__)

PRUNE_BATCH = 5000
PRUNE_EVERY = timedelta(hours=1)
_TASK = "retention"


def prune_before(
    database: Database,
    column: InstrumentedAttribute[datetime],
    cutoff: datetime,
    *where: Any,
    batch: int = PRUNE_BATCH,
) -> int:
    """Delete the rows whose `column` is older than `cutoff`, a batch per transaction."""
    table = column.class_
    oldest = select(table.id).where(column < cutoff, *where).limit(batch)
    total = 0
    while True:
        with database.write() as session:
            deleted = session.execute(delete(table).where(table.id.in_(oldest))).rowcount
        total += deleted
        if deleted < batch:
            return total


def prune_error_log(
    database: Database, retention_days: int, now: datetime, batch: int = PRUNE_BATCH
) -> int:
    return prune_before(database, ErrorEvent.ts, now - timedelta(days=retention_days), batch=batch)


def prune_history(
    database: Database, retention_days: int, now: datetime, batch: int = PRUNE_BATCH
) -> int:
    cutoff = now - timedelta(days=retention_days)
    return (
        prune_before(database, CheckRun.started_at, cutoff, batch=batch)
        + prune_before(database, AlertEvent.ts, cutoff, batch=batch)
        + prune_before(
            database,
            OutboxItem.created_at,
            cutoff,
            OutboxItem.state.in_((SENT, FAILED)),
            batch=batch,
        )
        + _prune_snapshots(database, cutoff, batch)
    )


def _prune_snapshots(database: Database, cutoff: datetime, batch: int) -> int:
    """Snapshots older than `cutoff` but the peak; then each account's rollup of the slices
    they were in (its own short transaction)."""
    pruned = prune_before(database, EquitySnapshot.ts, cutoff, ~_is_peak(), batch=batch)
    if pruned:
        with database.read() as session:
            accounts = rolled_up_accounts(session)
        for account, currency in accounts:
            with database.write() as session:
                SnapshotHistory(session, account, currency).rebuild_rollup(before=cutoff)
    return pruned


def _is_peak() -> Any:
    """The snapshot holding its account's peak equity stays: `drawdown` measures from it."""
    other = aliased(EquitySnapshot)
    highest = (
        select(func.max(other.equity))
        .where(other.account == EquitySnapshot.account, other.currency == EquitySnapshot.currency)
        .scalar_subquery()
    )
    return EquitySnapshot.equity == highest


@dataclass(frozen=True)
class KeepDays:
    """How long rows are kept: the error log's events, and the history of everything else."""

    error_log: int
    history: int


def prune_all(database: Database, keep: KeepDays, now: datetime) -> int:
    """Everything past its keep-time; how many rows went."""
    pruned = prune_error_log(database, keep.error_log, now)
    pruned += prune_history(database, keep.history, now)
    if pruned:
        log.info("retention: pruned %d old rows", pruned)
    return pruned


def prune_if_due(database: Database, keep: KeepDays, now: datetime) -> int | None:
    """Prune at most once an hour across every process sharing the database, so a cron
    set-up prunes too; None when it was not due."""
    if not claim_if_due(database, _TASK, now, PRUNE_EVERY):
        return None
    return prune_all(database, keep, now)
