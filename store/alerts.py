"""Alert rows: locked for a decision, read as `AlertState`, written back from one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.alert_state import AlertState
from core.keys import alert_key
from core.status import Severity, Status
from store.models import Alert
from store.rows import insert_if_absent
from store.types import as_json


class LockedAlerts:
    """The alert rows of a transaction's keys, read in one query and locked for it.

    On SQLite the write transaction already holds the database's write lock; on PostgreSQL
    the rows are locked (in key order, as every runner locks them), so two runners
    evaluating the same alert decide one after the other and the second sees what the first
    notified.
    """

    def __init__(self, session: Session, keys: Iterable[str]) -> None:
        self.session = session
        query = select(Alert).where(Alert.key.in_(sorted(set(keys)))).order_by(Alert.key)
        self.rows = {row.key: row for row in session.scalars(query.with_for_update())}

    def get(self, key: str) -> Alert | None:
        """The row of `key` if it existed when read or was created since."""
        return self.rows.get(key)

    def lock(self, account: str, name: str, title: str, severity: str, now: datetime) -> Alert:
        """The alert row, created (and locked) if new."""
        key = alert_key(account, name)
        if key not in self.rows:
            self.rows[key] = _create(self.session, account, name, title, severity, now)
        return self.rows[key]


def _create(
    session: Session, account: str, name: str, title: str, severity: str, now: datetime
) -> Alert:
    key = alert_key(account, name)
    values = {
        "key": key,
        "account": account,
        "name": name,
        "title": title,
        "firing": False,
        "severity": severity,
        "last_status": "OK",
        "summary": "",
        "context": {},
        "last_evaluated_at": now,
        "state_since": now,
        "notification_count": 0,
        "consecutive_unknown": 0,
    }
    insert_if_absent(session, Alert, values)  # another runner may create it first
    return session.execute(select(Alert).where(Alert.key == key).with_for_update()).scalar_one()


def state_of(row: Alert) -> AlertState:
    return AlertState(
        account=row.account,
        name=row.name,
        title=row.title,
        severity=Severity[row.severity],
        last_evaluated_at=row.last_evaluated_at,
        state_since=row.state_since,
        firing=bool(row.firing),
        last_status=Status[row.last_status],
        summary=row.summary or "",
        context=row.context or {},
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        resolved_at=row.resolved_at,
        last_notified_at=row.last_notified_at,
        notified_severity=Severity[row.notified_severity] if row.notified_severity else None,
        notification_count=row.notification_count or 0,
        escalated_at=row.escalated_at,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        consecutive_unknown=row.consecutive_unknown or 0,
        unknown_since=row.unknown_since,
        unknown_reason=row.unknown_reason,
    )


def save_state(row: Alert, state: AlertState) -> None:
    """Write `state` into its row (the key, account and name never change)."""
    row.title = state.title
    row.severity = state.severity.name
    row.last_evaluated_at = state.last_evaluated_at
    row.state_since = state.state_since
    row.firing = state.firing
    row.last_status = state.last_status.name
    row.summary = state.summary
    row.context = as_json(dict(state.context))
    row.first_seen = state.first_seen
    row.last_seen = state.last_seen
    row.resolved_at = state.resolved_at
    row.last_notified_at = state.last_notified_at
    row.notified_severity = state.notified_severity.name if state.notified_severity else None
    row.notification_count = state.notification_count
    row.escalated_at = state.escalated_at
    row.acknowledged_at = state.acknowledged_at
    row.acknowledged_by = state.acknowledged_by
    row.consecutive_unknown = state.consecutive_unknown
    row.unknown_since = state.unknown_since
    row.unknown_reason = state.unknown_reason


def all_alerts(session: Session, account: str | None = None) -> list[Alert]:
    query = select(Alert).order_by(Alert.account, Alert.name)
    if account is not None:
        query = query.where(Alert.account == account)
    return list(session.execute(query).scalars())
