"""Apply check results to the stored alerts, in one transaction, and say what to notify.

The notifications come back as `Outgoing` payloads (SPEC §6 body) so the caller can put them
in the outbox inside the same transaction as the state change that caused them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from alerts.lifecycle import Notice, check_failing_result, decide
from alerts.muting import Mutes
from config.loader import Settings
from core.format import iso
from core.keys import alert_key
from core.results import CheckResult
from core.status import Severity, Status
from store.alerts import lock_alert
from store.history import record_alert_event
from store.models import Alert
from store.types import as_json


@dataclass(frozen=True)
class Outgoing:
    """One notification owed to the channels: the webhook body and how loud it is."""

    key: str
    severity: Severity
    escalated: bool
    payload: dict[str, Any]


def apply_results(
    session: Session, settings: Settings, results: Iterable[CheckResult], now: datetime
) -> list[Outgoing]:
    """Update every alert touched by `results`; return the notifications they owe."""
    policy = settings.app.monitoring.alert_service
    mutes = Mutes.load(session, settings, now)
    outgoing: list[Outgoing] = []
    for result in results:
        alert, notices = _apply(session, settings, result, now, mutes.muted(result))
        outgoing += [_outgoing(alert, notice, result.runbook) for notice in notices]
        failing = check_failing_result(
            result, policy.unknown_alert_after, alert.consecutive_unknown
        )
        if not _meta_changes(session, settings.account, failing):
            continue
        meta, notices = _apply(session, settings, failing, now, mutes.muted(failing))
        outgoing += [_outgoing(meta, notice, failing.runbook) for notice in notices]
    return outgoing


def _meta_changes(session: Session, account: str, failing: CheckResult) -> bool:
    """A "Check failing" alert exists only once it fires; until then there is nothing to do."""
    if failing.status is Status.UNKNOWN:
        return False  # not failing long enough to say so
    if failing.status is Status.OK:
        existing = session.get(Alert, alert_key(account, failing.name))
        return existing is not None and existing.firing
    return True


def _apply(
    session: Session, settings: Settings, result: CheckResult, now: datetime, muted: bool
) -> tuple[Alert, list[Notice]]:
    alert = lock_alert(
        session, settings.account, result.name, result.title, result.severity.name, now
    )
    decision = decide(alert, result, now, settings.app.monitoring.alert_service, muted)
    for column, value in decision.updates.items():
        setattr(alert, column, as_json(value) if column == "context" else value)
    alert.title = result.title
    for event in decision.events:
        record_alert_event(
            session,
            alert.key,
            now,
            event,
            alert.severity,
            alert.unknown_reason if event == "unknown" else alert.summary,
            {"muted": True} if muted else None,
        )
    return alert, decision.notices


def _outgoing(alert: Alert, notice: Notice, runbook: str) -> Outgoing:
    return Outgoing(
        key=alert.key,
        severity=Severity[alert.severity],
        escalated=notice.escalated,
        payload=notification_body(alert, notice.kind.value, notice.escalated, runbook),
    )


def notification_body(alert: Alert, status: str, escalated: bool, runbook: str) -> dict[str, Any]:
    """The generic webhook body of SPEC §6: exactly these fields."""
    return {
        "version": 1,
        "key": alert.key,
        "account": alert.account,
        "alert": alert.name,
        "title": alert.title,
        "severity": alert.severity,
        "status": status,
        "escalated": escalated,
        "message": alert.summary,
        "context": as_json(alert.context or {}),
        "first_seen": iso(alert.first_seen),
        "last_seen": iso(alert.last_seen),
        "notification_count": alert.notification_count,
        "runbook": runbook,
    }
