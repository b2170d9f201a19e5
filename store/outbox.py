"""The outbox: notifications written with the state change that caused them, then claimed,
sent and marked by delivery.

Claiming is safe with several runners on one database: on PostgreSQL rows are claimed
`FOR UPDATE SKIP LOCKED`; on SQLite the claim runs in a `BEGIN IMMEDIATE` transaction. A
claim is a lease covering one send, renewed just before each send: a runner that dies
mid-send leaves the row to be claimed again when that lease ends, or at once when delivery can
tell that the runner is dead (`release_dead`). Rows of one alert reach one channel in order: a
row waits while an earlier row of the same alert and channel is still open, so a RESOLVED
never overtakes its FIRING, and waits for a lost send at most one lease.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from core.notification import Notification
from store.models import OutboxItem
from store.types import as_json

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
_OPEN = (PENDING, SENDING)


@dataclass(frozen=True)
class Claimed:
    """A claimed row, detached from its session: what delivery needs to send it."""

    id: int
    notification_id: str
    channel: str
    alert_key: str
    notification: Notification
    attempts: int
    created_at: datetime


def enqueue(
    session: Session,
    notification_id: str,
    channels: list[str],
    notification: Notification,
    now: datetime,
) -> None:
    """`notification`, owed to each of `channels`: here it becomes JSON."""
    stored = as_json(notification.to_json())
    for channel in channels:
        session.add(
            OutboxItem(
                notification_id=notification_id,
                channel=channel,
                alert_key=notification.key,
                status=notification.status,
                severity=notification.severity.name,
                escalated=notification.escalated,
                payload=stored,
                created_at=now,
                state=PENDING,
                attempts=0,
                next_attempt_at=now,
            )
        )


def claim_due(
    session: Session, worker: str, now: datetime, lease: timedelta, limit: int
) -> list[Claimed]:
    """Claim up to `limit` rows that are due and not waiting behind an earlier row."""
    earlier = aliased(OutboxItem)
    waiting = exists().where(
        earlier.alert_key == OutboxItem.alert_key,
        earlier.channel == OutboxItem.channel,
        earlier.id < OutboxItem.id,
        earlier.state.in_(_OPEN),
    )
    due = (
        select(OutboxItem.id)
        .where(
            or_(
                and_(OutboxItem.state == PENDING, OutboxItem.next_attempt_at <= now),
                and_(OutboxItem.state == SENDING, OutboxItem.lease_until < now),
            ),
            ~waiting,
        )
        .order_by(OutboxItem.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if not ids:
        return []
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_(ids))
        .values(
            state=SENDING,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=OutboxItem.attempts + 1,
        )
    )
    rows = session.scalars(select(OutboxItem).where(OutboxItem.id.in_(ids)).order_by(OutboxItem.id))
    return [
        Claimed(
            row.id,
            row.notification_id,
            row.channel,
            row.alert_key,
            Notification.from_json(row.payload),
            row.attempts,
            row.created_at,
        )
        for row in rows
    ]


def release_dead(session: Session, is_dead: Callable[[str | None], bool], now: datetime) -> int:
    """Rows claimed by a runner that is certainly dead go back to pending, due now: the
    alert is not held for the rest of the lease. Returns how many."""
    claims = session.execute(
        select(OutboxItem.id, OutboxItem.claimed_by).where(OutboxItem.state == SENDING)
    ).all()
    dead = [(item_id, holder) for item_id, holder in claims if is_dead(holder)]
    for item_id, holder in dead:
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id, OutboxItem.claimed_by == holder)
            .values(
                state=PENDING,
                next_attempt_at=now,
                lease_until=None,
                last_error=f"the runner sending it ({holder}) died before it saw the answer",
            )
        )
    return len(dead)


def renew(session: Session, item_id: int, worker: str, until: datetime) -> bool:
    """Extend a claim for the send about to start; False if another runner took it over."""
    result = session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.id == item_id, OutboxItem.claimed_by == worker, OutboxItem.state == SENDING
        )
        .values(lease_until=until)
    )
    return bool(result.rowcount)


def mark_sent(session: Session, item_id: int, worker: str, now: datetime) -> None:
    _finish(session, item_id, worker, state=SENT, sent_at=now, last_error=None, lease_until=None)


def mark_failed(session: Session, item_id: int, worker: str, error: str) -> None:
    _finish(session, item_id, worker, state=FAILED, last_error=error, lease_until=None)


def mark_retry(
    session: Session, item_id: int, worker: str, at: datetime, error: str, counted: bool = True
) -> None:
    """Back to pending until `at`; an attempt not made (`counted=False`) is given back."""
    values: dict[str, Any] = {
        "state": PENDING,
        "next_attempt_at": at,
        "last_error": error,
        "lease_until": None,
    }
    if not counted:
        values["attempts"] = OutboxItem.attempts - 1
    _finish(session, item_id, worker, **values)


def _finish(session: Session, item_id: int, worker: str, **values: Any) -> None:
    # Only the runner holding the claim may settle it: a lease taken over after expiry wins.
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == item_id, OutboxItem.claimed_by == worker)
        .values(**values)
    )


def open_counts(session: Session) -> dict[str, int]:
    """Rows by delivery state: for status and metrics."""
    rows = session.execute(select(OutboxItem.state, func.count()).group_by(OutboxItem.state))
    return {state: count for state, count in rows}


@dataclass(frozen=True)
class DeliveryStats:
    """How one alert's notifications are getting on: what waits, what failed and why."""

    pending: int = 0
    failed: int = 0
    last_error: str | None = None


def delivery_stats(session: Session) -> dict[str, DeliveryStats]:
    """Per alert key: rows still to deliver, rows failed for good, the newest error."""
    counts: dict[str, dict[str, int]] = {}
    for key, state, count in session.execute(
        select(OutboxItem.alert_key, OutboxItem.state, func.count())
        .where(OutboxItem.state.in_((PENDING, SENDING, FAILED)))
        .group_by(OutboxItem.alert_key, OutboxItem.state)
    ):
        counts.setdefault(key, {})[state] = count
    errors = dict(
        session.execute(
            select(OutboxItem.alert_key, OutboxItem.channel + ": " + OutboxItem.last_error)
            .where(OutboxItem.last_error.is_not(None), OutboxItem.state != SENT)
            .order_by(OutboxItem.id)
        ).all()
    )
    return {
        key: DeliveryStats(
            pending=by_state.get(PENDING, 0) + by_state.get(SENDING, 0),
            failed=by_state.get(FAILED, 0),
            last_error=errors.get(key),
        )
        for key, by_state in counts.items()
    }
