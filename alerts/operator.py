"""Operator actions, persisted: acknowledge, silence, unsilence. Each leaves a history line."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts.muting import silence_in_force
from alerts.names import OperatorError
from core.keys import alert_key
from store.history import record_alert_event
from store.models import Alert, Silence


def acknowledge(session: Session, key: str, by: str, now: datetime) -> Alert:
    """Stop escalation and reminders of a firing alert until it resolves."""
    alert = session.execute(select(Alert).where(Alert.key == key).with_for_update()).scalar()
    if alert is None:
        raise OperatorError(f"no alert {key!r} has been evaluated yet")
    if not alert.firing:
        raise OperatorError(f"{key} is not firing (nothing to acknowledge)")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, by
        record_alert_event(session, key, now, "acknowledged", alert.severity, f"by {by}")
    return alert


def silence(
    session: Session,
    account: str,
    name: str,
    duration: timedelta,
    by: str,
    reason: str,
    now: datetime,
) -> Silence:
    """Mute delivery of `name` until now + duration (evaluation goes on)."""
    row = Silence(
        account=account,
        name=name,
        created_at=now,
        until=now + duration,
        created_by=by,
        reason=reason,
    )
    session.add(row)
    summary = f"until {row.until.isoformat(timespec='seconds')} by {by}" + (
        f": {reason}" if reason else ""
    )
    record_alert_event(session, alert_key(account, name), now, "silenced", "INFO", summary)
    return row


def unsilence(session: Session, account: str, name: str, by: str, now: datetime) -> int:
    """End every active silence of `name`; returns how many there were."""
    ended = session.execute(
        update(Silence)
        .where(silence_in_force(account, now), Silence.name == name)
        .values(ended_at=now)
    ).rowcount
    if ended:
        record_alert_event(session, alert_key(account, name), now, "unsilenced", "INFO", f"by {by}")
    return ended
