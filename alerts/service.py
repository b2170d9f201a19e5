"""Apply check results to the stored alerts, in one transaction, and say what to notify.

The notifications come back as `Notification` values so the caller can put them in the
outbox inside the same transaction as the state change that caused them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from alerts.lifecycle import Notice, check_failing_result, decide
from alerts.muting import INHIBITOR, Mutes, silences_of
from config.loader import Settings
from core.alert_state import AlertState
from core.keys import alert_key, failing_alert_name
from core.notification import Notification
from core.results import CheckResult
from core.status import Status
from store.alerts import LockedAlerts, save_state, state_of
from store.history import record_alert_event


@dataclass(frozen=True)
class Evaluated:
    """One account's results, as of when they were evaluated."""

    settings: Settings
    results: Sequence[CheckResult]
    now: datetime


def apply_batch(session: Session, batch: Sequence[Evaluated]) -> list[list[Notification]]:
    """Update every alert touched by the results of each account, in the caller's one
    transaction (alert rows and silences each read in one query for the whole batch);
    return the notifications owed, account by account."""
    alerts = LockedAlerts(session, _keys_touched(batch))
    earliest = min(item.now for item in batch)
    silences = silences_of(session, [item.settings.account for item in batch], earliest)
    owed = []
    for item in batch:
        of_account = silences.get(item.settings.account, {})
        in_force = {name: s for name, s in of_account.items() if s.until > item.now}
        mutes = Mutes.of(item.settings, in_force, _firing(alerts, item.settings))
        owed.append(_apply_account(alerts, item, mutes))
    return owed


def _keys_touched(batch: Sequence[Evaluated]) -> set[str]:
    """Every alert a batch may read or change: each result's, its "Check failing" alert,
    and the account's API Error Burst (which inhibits)."""
    keys = set()
    for item in batch:
        names = [INHIBITOR]
        names += [n for r in item.results for n in (r.name, failing_alert_name(r.name))]
        keys |= {alert_key(item.settings.account, name) for name in names}
    return keys


def _firing(alerts: LockedAlerts, settings: Settings) -> bool:
    row = alerts.get(alert_key(settings.account, INHIBITOR))
    return row is not None and bool(row.firing)


def _apply_account(alerts: LockedAlerts, item: Evaluated, mutes: Mutes) -> list[Notification]:
    settings, now = item.settings, item.now
    policy = settings.app.monitoring.alert_service
    outgoing: list[Notification] = []
    for result in item.results:
        state, notices = _apply(alerts, settings, result, now, mutes.muted(result))
        outgoing += [_notification(state, notice, result.runbook) for notice in notices]
        failing = check_failing_result(
            result, policy.unknown_alert_after, state.consecutive_unknown
        )
        if not _meta_changes(alerts, settings.account, failing):
            continue
        meta, notices = _apply(alerts, settings, failing, now, mutes.muted(failing))
        outgoing += [_notification(meta, notice, failing.runbook) for notice in notices]
    return outgoing


def _meta_changes(alerts: LockedAlerts, account: str, failing: CheckResult) -> bool:
    """A "Check failing" alert exists only once it fires; until then there is nothing to do."""
    if failing.status is Status.UNKNOWN:
        return False  # not failing long enough to say so
    if failing.status is Status.OK:
        existing = alerts.get(alert_key(account, failing.name))
        return existing is not None and bool(existing.firing)
    return True


def _apply(
    alerts: LockedAlerts, settings: Settings, result: CheckResult, now: datetime, muted: bool
) -> tuple[AlertState, tuple[Notice, ...]]:
    row = alerts.lock(settings.account, result.name, result.title, result.severity.name, now)
    decision = decide(state_of(row), result, now, settings.app.monitoring.alert_service, muted)
    state = decision.state
    save_state(row, state)
    for event in decision.events:
        record_alert_event(
            alerts.session,
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
