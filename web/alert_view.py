"""One alert's page: its figures, what to do, and everything that happened to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from alerts.status import alert_state
from checks.registry import CHECKS
from config.loader import Settings
from core.keys import check_of
from store.models import Alert, AlertEvent, OutboxItem, Silence
from web.board import account_mutes

TIMELINE_ROWS = 200
# What the page shows of each event and delivery: columns, not whole rows (a notification's
# payload is never read), and plain rows, not ORM objects (400 of them per page).
EVENT_COLUMNS = (
    AlertEvent.ts,
    AlertEvent.event,
    AlertEvent.severity,
    AlertEvent.summary,
    AlertEvent.detail,
)
DELIVERY_COLUMNS = (
    OutboxItem.created_at,
    OutboxItem.channel,
    OutboxItem.status,
    OutboxItem.escalated,
    OutboxItem.state,
    OutboxItem.attempts,
    OutboxItem.sent_at,
    OutboxItem.last_error,
)


@dataclass(frozen=True)
class AlertView:
    alert: Alert
    state: str
    since: datetime | None
    muted: str
    silence: Silence | None
    action: str
    runbook: str
    timeline: list[Row[Any]]  # EVENT_COLUMNS, newest first
    deliveries: list[Row[Any]]  # DELIVERY_COLUMNS, newest first

    @property
    def can_ack(self) -> bool:
        return self.state in ("FIRING", "SILENCED")


def alert_view(session: Session, settings: Settings, key: str, now: datetime) -> AlertView | None:
    """None when no alert of that key has been evaluated."""
    alert = session.get(Alert, key)
    if alert is None:
        return None
    mutes = account_mutes(session, settings, alert.account, now)
    muted = mutes.reason(alert.name, alert.context or {})
    state, since = alert_state(alert, bool(muted))
    check = CHECKS.get(check_of(alert.name))
    timeline = session.execute(
        select(*EVENT_COLUMNS)
        .where(AlertEvent.key == key)
        .order_by(AlertEvent.ts.desc(), AlertEvent.id.desc())
        .limit(TIMELINE_ROWS)
    )
    deliveries = session.execute(
        select(*DELIVERY_COLUMNS)
        .where(OutboxItem.alert_key == key)
        .order_by(OutboxItem.id.desc())
        .limit(TIMELINE_ROWS)
    )
    return AlertView(
        alert,
        state,
        since,
        muted,
        mutes.silences.get(alert.name) or mutes.silences.get(check_of(alert.name)),
        check.action if check else "",
        check.runbook if check else "",
        list(timeline),
        list(deliveries),
    )
