"""Operator actions, persisted: acknowledge, silence, unsilence. Each leaves a history line."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts.lifecycle import failing_alert_name
from checks.registry import CHECKS, find_check
from store.alerts import alert_key
from store.models import Alert, AlertEvent, Silence

_DURATION = re.compile(r"(\d+)\s*([smhdw])", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_FAILING_PREFIX = failing_alert_name("")


class OperatorError(Exception):
    """An operator command that cannot be carried out; the message says why."""


def parse_duration(text: str) -> timedelta:
    """`90s`, `30m`, `2h`, `1d`, `1h30m`."""
    compact = text.strip().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise OperatorError(f"cannot read duration {text!r} (examples: 90s, 30m, 2h, 1d, 1h30m)")
    seconds = sum(int(number) * _UNIT_SECONDS[unit.lower()] for number, unit in parts)
    if seconds <= 0:
        raise OperatorError("the duration must be longer than zero")
    return timedelta(seconds=seconds)


def alert_name(text: str) -> str:
    """A CLI name, a title, or `check_failing:NAME`, as the stored alert name."""
    wanted = text.strip()
    failing = wanted.lower().startswith(_FAILING_PREFIX)
    base = wanted[len(_FAILING_PREFIX) :] if failing else wanted
    check = find_check(base)
    if check is None:
        valid = ", ".join(CHECKS)
        raise OperatorError(f"no alert named {text!r} (valid: {valid}, or check_failing:NAME)")
    return failing_alert_name(check.name) if failing else check.name


def resolve_key(text: str, account: str) -> str:
    """`reconcile`, `Reconcile Mismatch` or `default:reconcile` as the key `ACCOUNT:NAME`."""
    head, _, rest = text.partition(":")
    if rest and head.lower() + ":" != _FAILING_PREFIX:
        return alert_key(head, alert_name(rest))
    return alert_key(account, alert_name(text))


def acknowledge(session: Session, key: str, by: str, now: datetime) -> Alert:
    """Stop escalation and reminders of a firing alert until it resolves."""
    alert = session.execute(select(Alert).where(Alert.key == key).with_for_update()).scalar()
    if alert is None:
        raise OperatorError(f"no alert {key!r} has been evaluated yet")
    if not alert.firing:
        raise OperatorError(f"{key} is not firing (nothing to acknowledge)")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, by
        _history(session, key, now, "acknowledged", alert.severity, f"by {by}")
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
    _history(session, alert_key(account, name), now, "silenced", "INFO", summary)
    return row


def unsilence(session: Session, account: str, name: str, by: str, now: datetime) -> int:
    """End every active silence of `name`; returns how many there were."""
    ended = session.execute(
        update(Silence)
        .where(
            Silence.account == account,
            Silence.name == name,
            Silence.until > now,
            Silence.ended_at.is_(None),
        )
        .values(ended_at=now)
    ).rowcount
    if ended:
        _history(session, alert_key(account, name), now, "unsilenced", "INFO", f"by {by}")
    return ended


def _history(
    session: Session, key: str, now: datetime, event: str, severity: str, summary: str
) -> None:
    session.add(AlertEvent(key=key, ts=now, event=event, severity=severity, summary=summary))
