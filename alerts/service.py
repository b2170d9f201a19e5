"""Apply check results to the stored alerts, in one transaction, and say what to notify.

The notifications come back as `Notification` values so the caller can put them in the
outbox inside the same transaction as the state change that caused them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from alerts.lifecycle import Notice, check_failing_result, decide
from alerts.muting import Mutes
from config.loader import Settings
from core.alert_state import AlertState
from core.keys import alert_key
from core.notification import Notification
from core.results import CheckResult
from core.status import Status
from store.alerts import lock_alert, save_state, state_of
from store.history import record_alert_event
from store.models import Alert


def apply_results(
    session: Session, settings: Settings, results: Iterable[CheckResult], now: datetime
) -> list[Notification]:
    """Update every alert touched by `results`; return the notifications they owe."""
    policy = settings.app.monitoring.alert_service
    mutes = Mutes.load(session, settings, now)
    outgoing: list[Notification] = []
    for result in results:
        state, notices = _apply(session, settings, result, now, mutes.muted(result))
        outgoing += [_notification(state, notice, result.runbook) for notice in notices]
        failing = check_failing_result(
            result, policy.unknown_alert_after, state.consecutive_unknown
        )
        if not _meta_changes(session, settings.account, failing):
            continue
        meta, notices = _apply(session, settings, failing, now, mutes.muted(failing))
        outgoing += [_notification(meta, notice, failing.runbook) for notice in notices]
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
) -> tuple[AlertState, tuple[Notice, ...]]:
    row = lock_alert(
        session, settings.account, result.name, result.title, result.severity.name, now
    )
    decision = decide(state_of(row), result, now, settings.app.monitoring.alert_service, muted)
    state = decision.state
    save_state(row, state)
    for event in decision.events:
        record_alert_event(
            session,
            state.key,
            now,
            event,
            state.severity.name,
            state.unknown_reason if event == "unknown" else state.summary,
            {"muted": True} if muted else None,
        )
    return state, decision.notices


def _notification(state: AlertState, notice: Notice, runbook: str) -> Notification:
    return Notification.about(state, notice.kind, notice.escalated, runbook)
