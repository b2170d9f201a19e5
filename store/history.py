"""What happened to alerts and their notifications, newest last, for `history`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from store.models import AlertEvent, CheckRun, OutboxItem


def record_alert_event(
    session: Session,
    key: str,
    now: datetime,
    event: str,
    severity: str,
    summary: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """One line of an alert's history: its lifecycle (firing, resolved...) or an operator's
    action on it (acknowledged, silenced...)."""
    session.add(
        AlertEvent(key=key, ts=now, event=event, severity=severity, summary=summary, detail=detail)
    )


@dataclass(frozen=True)
class HistoryLine:
    ts: datetime
    key: str
    what: str  # an alert event (firing, resolved, ...) or "delivery"
    severity: str
    detail: str


def history(
    session: Session,
    since: datetime,
    key: str | None = None,
    accounts: Sequence[str] | None = None,
    limit: int = 100,
) -> list[HistoryLine]:
    """Alert events and deliveries since `since` (optionally of one key, or of some accounts),
    the newest `limit`."""
    events = select(AlertEvent).where(AlertEvent.ts >= since)
    deliveries = select(OutboxItem).where(OutboxItem.created_at >= since)
    if key is not None:
        events = events.where(AlertEvent.key == key)
        deliveries = deliveries.where(OutboxItem.alert_key == key)
    if accounts is not None:
        events = events.where(_of_accounts(AlertEvent.key, accounts))
        deliveries = deliveries.where(_of_accounts(OutboxItem.alert_key, accounts))
    lines = [
        HistoryLine(e.ts, e.key, e.event, e.severity, _event_detail(e))
        for e in session.scalars(events.order_by(AlertEvent.ts.desc()).limit(limit))
    ]
    lines += [
        HistoryLine(
            o.sent_at or o.created_at, o.alert_key, "delivery", o.severity, _delivery_detail(o)
        )
        for o in session.scalars(deliveries.order_by(OutboxItem.id.desc()).limit(limit))
    ]
    return sorted(lines, key=lambda line: line.ts)[-limit:]


def _of_accounts(key: InstrumentedAttribute[str], accounts: Sequence[str]) -> ColumnElement[bool]:
    return or_(*(key.startswith(f"{account}:", autoescape=True) for account in accounts))


def _event_detail(event: AlertEvent) -> str:
    muted = " (muted)" if event.detail and event.detail.get("muted") else ""
    return f"{event.summary}{muted}"


def _delivery_detail(item: OutboxItem) -> str:
    flags = " escalated" if item.escalated else ""
    text = f"{item.status}{flags} -> {item.channel}: {item.state}"
    if item.attempts:
        text += f" after {item.attempts} attempt{'s' if item.attempts > 1 else ''}"
    if item.last_error and item.state != "sent":
        text += f" ({item.last_error})"
    return text


def runs(
    session: Session,
    since: datetime,
    accounts: Sequence[str],
    check: str | None = None,
    limit: int = 100,
) -> list[HistoryLine]:
    """Check runs of `accounts` since `since` (optionally of one check): when, how long, what
    they found."""
    query = select(CheckRun).where(CheckRun.account.in_(accounts), CheckRun.started_at >= since)
    if check is not None:
        query = query.where(CheckRun.check_name == check)
    rows = session.scalars(query.order_by(CheckRun.id.desc()).limit(limit))
    lines = [
        HistoryLine(
            run.started_at,
            f"{run.account}:{run.check_name}",
            "run",
            run.status,
            f"{run.duration_ms:.0f} ms: {run.error or run.summary}",
        )
        for run in rows
    ]
    return lines[::-1]
