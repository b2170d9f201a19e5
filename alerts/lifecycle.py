"""The alert lifecycle as a pure decision: (alert as stored, new result, now, policy) ->
(what to change, what to notify). No I/O here, so every rule is testable under freezegun.

Rules (SPEC §5):
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

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from config.models import AlertService
from core.keys import failing_alert_name
from core.results import CheckResult
from core.status import Severity, Status
from store.models import Alert


class Kind(StrEnum):
    FIRING = "firing"
    RESOLVED = "resolved"
    TEST = "test"


class Reason(StrEnum):
    NEW = "new"
    SEVERITY_RAISED = "severity_raised"
    ESCALATION = "escalation"
    REMINDER = "reminder"
    UNMUTED = "unmuted"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Notice:
    """A notification the lifecycle decided to send (routing and payload come later)."""

    kind: Kind
    reason: Reason
    escalated: bool


@dataclass
class Decision:
    """The columns to change, the notifications owed, and what happened (for history)."""

    updates: dict[str, Any] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


def decide(
    alert: Alert, result: CheckResult, now: datetime, policy: AlertService, muted: bool
) -> Decision:
    """What `result` does to `alert` at `now`."""
    decision = Decision({"last_evaluated_at": now, "last_status": result.status.name})
    if result.status is Status.UNKNOWN:
        _count_unknown(alert, result, now, decision)
        return decision
    decision.updates.update(consecutive_unknown=0, unknown_since=None, unknown_reason=None)
    if result.firing:
        _firing(alert, result, now, policy, muted, decision)
    elif alert.firing:
        _resolve(alert, result, now, muted, decision)
    else:
        decision.updates.update(summary=result.summary, context=dict(result.context))
    return decision


def _count_unknown(alert: Alert, result: CheckResult, now: datetime, decision: Decision) -> None:
    if not alert.consecutive_unknown:
        decision.events.append("unknown")
    decision.updates.update(
        consecutive_unknown=(alert.consecutive_unknown or 0) + 1,
        unknown_since=alert.unknown_since or now,
        unknown_reason=str(result.context.get("reason", result.summary)),
    )


def _firing(
    alert: Alert,
    result: CheckResult,
    now: datetime,
    policy: AlertService,
    muted: bool,
    decision: Decision,
) -> None:
    updates = decision.updates
    updates.update(
        severity=result.severity.name,
        summary=result.summary,
        context=dict(result.context),
        last_seen=now,
    )
    if not alert.firing:
        decision.events.append("firing")
        updates.update(
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
            _notify(decision, Notice(Kind.FIRING, Reason.NEW, escalated=False), result, now)
        return
    if muted:
        return
    notice = _due_while_firing(alert, result, now, policy)
    if notice is not None:
        if notice.reason is Reason.ESCALATION:
            updates["escalated_at"] = now
        _notify(decision, notice, result, now, alert.notification_count or 0)


def _due_while_firing(
    alert: Alert, result: CheckResult, now: datetime, policy: AlertService
) -> Notice | None:
    """The one notification an alert that keeps firing is owed now, if any."""
    escalated = alert.escalated_at is not None
    if alert.last_notified_at is None:
        return Notice(Kind.FIRING, Reason.UNMUTED, escalated)
    notified = Severity[alert.notified_severity] if alert.notified_severity else Severity.INFO
    if result.severity > notified:
        return Notice(Kind.FIRING, Reason.SEVERITY_RAISED, escalated)
    if alert.acknowledged_at is not None:
        return None
    since_notified = now - alert.last_notified_at
    if since_notified < timedelta(seconds=policy.dedupe_seconds):
        return None
    first_seen = alert.first_seen or now
    if not escalated and now - first_seen >= timedelta(seconds=policy.escalation_seconds):
        return Notice(Kind.FIRING, Reason.ESCALATION, escalated=True)
    if since_notified >= timedelta(seconds=policy.repeat_seconds):
        return Notice(Kind.FIRING, Reason.REMINDER, escalated)
    return None


def _resolve(
    alert: Alert, result: CheckResult, now: datetime, muted: bool, decision: Decision
) -> None:
    decision.events.append("resolved")
    decision.updates.update(
        firing=False,
        resolved_at=now,
        state_since=now,
        summary=result.summary,
        context=dict(result.context),
        acknowledged_at=None,
        acknowledged_by=None,
    )
    if (alert.notification_count or 0) > 0 and not muted:
        notice = Notice(Kind.RESOLVED, Reason.RESOLVED, escalated=alert.escalated_at is not None)
        _notify(decision, notice, result, now, alert.notification_count or 0)


def _notify(
    decision: Decision, notice: Notice, result: CheckResult, now: datetime, sent_before: int = 0
) -> None:
    decision.notices.append(notice)
    if notice.reason not in (Reason.NEW, Reason.RESOLVED):
        decision.events.append(notice.reason.value)
    decision.updates.update(
        last_notified_at=now,
        notified_severity=result.severity.name,
        notification_count=sent_before + 1,
    )


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
