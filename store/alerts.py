"""Reading and locking alert rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.keys import alert_key
from store.models import Alert
from store.rows import insert_if_absent


def lock_alert(
    session: Session, account: str, name: str, title: str, severity: str, now: datetime
) -> Alert:
    """The alert row, created if new, locked for this transaction.

    On SQLite the write transaction already holds the database's write lock; on PostgreSQL
    the row is locked, so two runners evaluating the same alert decide one after the other
    and the second sees what the first notified.
    """
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
    insert_if_absent(session, Alert, values)
    alert = session.execute(select(Alert).where(Alert.key == key).with_for_update()).scalar_one()
    return alert


def all_alerts(session: Session, account: str | None = None) -> list[Alert]:
    query = select(Alert).order_by(Alert.account, Alert.name)
    if account is not None:
        query = query.where(Alert.account == account)
    return list(session.execute(query).scalars())
