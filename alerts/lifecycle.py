"""The alert lifecycle as a pure decision: (alert as stored, new result, now, policy) ->
(what to change, what to notify). No I/O here, so every rule is testable under freezegun.

Rules (README: "Alert lifecycle"):
- a new FIRING notifies at once; while it keeps firing, nothing more inside `dedupe_seconds`,
  except a rise in severity, which notifies at once;
- unacknowledged and still firing after `escalation_seconds`: one escalated notification,
  then reminders every `repeat_seconds`;
- `ack` stops escalation and reminders until the alert resolves;
- the end of a condition notifies RESOLVED (if its firing was notified);
- UNKNOWN changes nothing about firing; it only counts, for the "Check failing" alert;
- a muted alert (silenced, disabled, below min_severity) is evaluated and stored, not notified;
  when the mute ends while it still fires, the firing notification goes out then.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from config.models import AlertService
from core.alert_state import AlertState
from core.keys import failing_alert_name
from core.notification import NotificationKind
from core.results import CheckResult
from core.status import Severity, Status


class Reason(StrEnum):
    NEW = "new"
    SEVERITY_RAISED = "severity_raised"
    ESCALATION = "escalation"
    REMINDER = "reminder"
    UNMUTED = "unmuted"
    RESOLVED = "resolved"


_KIND = {
    Reason.NEW: NotificationKind.FIRING,
    Reason.SEVERITY_RAISED: NotificationKind.FIRING,
    Reason.UNMUTED: NotificationKind.FIRING,
    Reason.ESCALATION: NotificationKind.ESCALATION,
    Reason.REMINDER: NotificationKind.REMINDER,
    Reason.RESOLVED: NotificationKind.RESOLVED,
}


@dataclass(frozen=True)
class Notice:
    """A notification the lifecycle decided to send (routing and payload come later)."""

    reason: Reason
    escalated: bool

    @property
    def kind(self) -> NotificationKind:
        return _KIND[self.reason]


@dataclass(frozen=True)
class Decision:
    """The alert's new state, the notifications owed, and what happened (for history)."""

    state: AlertState
    notices: tuple[Notice, ...] = ()
    events: tuple[str, ...] = ()


@dataclass
class _Draft:
    state: AlertState
    notices: list[Notice] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def change(self, **changes: object) -> None:
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]

    def notify(self, notice: Notice, result: CheckResult, now: datetime, sent_before: int) -> None:
        self.notices.append(notice)
        if notice.reason not in (Reason.NEW, Reason.RESOLVED):
            self.events.append(notice.reason.value)
        self.change(
            last_notified_at=now,
            notified_severity=result.severity,
            notification_count=sent_before + 1,
        )


def decide(
    state: AlertState, result: CheckResult, now: datetime, policy: AlertService, muted: bool
) -> Decision:
    """What `result` does to the alert in `state` at `now`."""
    draft = _Draft(state)
    draft.change(last_evaluated_at=now, last_status=result.status, title=result.title)
    if result.status is Status.UNKNOWN:
        _count_unknown(state, result, now, draft)
    else:
        draft.change(consecutive_unknown=0, unknown_since=None, unknown_reason=None)
        if result.firing:
            _firing(state, result, now, policy, muted, draft)
        elif state.firing:
            _resolve(state, result, now, muted, draft)
        else:
            draft.change(summary=result.summary, context=dict(result.context))
    return Decision(draft.state, tuple(draft.notices), tuple(draft.events))


def _count_unknown(state: AlertState, result: CheckResult, now: datetime, draft: _Draft) -> None:
    if not state.consecutive_unknown:
        draft.events.append("unknown")
    draft.change(
        consecutive_unknown=state.consecutive_unknown + 1,
        unknown_since=state.unknown_since or now,
        unknown_reason=str(result.context.get("reason", result.summary)),
    )


def _firing(
    state: AlertState,
    result: CheckResult,
    now: datetime,
    policy: AlertService,
    muted: bool,
    draft: _Draft,
) -> None:
    draft.change(
        severity=result.severity,
        summary=result.summary,
        context=dict(result.context),
        last_seen=now,
    )
    if not state.firing:
        draft.events.append("firing")
        draft.change(
            firing=True,
            first_seen=now,
            state_since=now,
            resolved_at=None,
            escalated_at=None,
            acknowledged_at=None,
            acknowledged_by=None,
            notification_count=0,
            last_notified_at=None,
            notified_severity=None,
        )
        if not muted:
            draft.notify(Notice(Reason.NEW, escalated=False), result, now, 0)
        return
    if muted:
        return
    notice = _due_while_firing(state, result, now, policy)
    if notice is not None:
        if notice.reason is Reason.ESCALATION:
            draft.change(escalated_at=now)
        draft.notify(notice, result, now, state.notification_count)


def _due_while_firing(
    state: AlertState, result: CheckResult, now: datetime, policy: AlertService
) -> Notice | None:
    """The one notification an alert that keeps firing is owed now, if any."""
    escalated = state.escalated_at is not None
    if state.last_notified_at is None:
        return Notice(Reason.UNMUTED, escalated)
    if result.severity > (state.notified_severity or Severity.INFO):
        return Notice(Reason.SEVERITY_RAISED, escalated)
    if state.acknowledged_at is not None:
        return None
    since_notified = now - state.last_notified_at
    if since_notified < timedelta(seconds=policy.dedupe_seconds):
        return None
    first_seen = state.first_seen or now
    if not escalated and now - first_seen >= timedelta(seconds=policy.escalation_seconds):
        return Notice(Reason.ESCALATION, escalated=True)
    if since_notified >= timedelta(seconds=policy.repeat_seconds):
        return Notice(Reason.REMINDER, escalated)
    return None


def _resolve(
    state: AlertState, result: CheckResult, now: datetime, muted: bool, draft: _Draft
) -> None:
    draft.events.append("resolved")
    draft.change(
        firing=False,
        resolved_at=now,
        state_since=now,
        summary=result.summary,
        context=dict(result.context),
        acknowledged_at=None,
        acknowledged_by=None,
    )
    if state.notification_count > 0 and not muted:
        notice = Notice(Reason.RESOLVED, escalated=state.escalated_at is not None)
        draft.notify(notice, result, now, state.notification_count)


def check_failing_result(result: CheckResult, failing_after: int, consecutive: int) -> CheckResult:
    """The synthetic result of the "Check failing: NAME" alert that follows a check's UNKNOWNs.

    It fires once a check has been UNKNOWN `failing_after` times in a row, resolves as soon as
    the check evaluates again, and otherwise stays UNKNOWN (changing nothing).
    """
    if result.status is not Status.UNKNOWN:
        status = Status.OK
        summary = f"{result.name} evaluates again"
    elif consecutive >= failing_after:
        status = Status.WARNING
        summary = f"{result.name} could not be evaluated {consecutive} times in a row: " + str(
            result.context.get("reason", result.summary)
        )
    else:
        status = Status.UNKNOWN
        summary = result.summary
    context = dict(result.context) if status is not Status.OK else {}
    context["consecutive_unknown"] = consecutive
    return CheckResult(
        name=failing_alert_name(result.name),
        title=f"Check failing: {result.name}",
        status=status,
        severity=Severity.WARNING,
        summary=summary,
        context=context,
        action="fix_the_input: the alert it guards is blind until then"
        if status is Status.WARNING
        else "",
        runbook=(
            f"alert-matrix cannot evaluate `{result.name}`, so that alert could not fire. Read "
            "the reason: a missing or malformed bot state file, the exchange unreachable or "
            "rejecting the API key, or the database. Fix the input; this resolves by itself."
        ),
    )
