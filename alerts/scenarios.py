"""Test notifications of every alert of the matrix (`test-alerts`).

`--production-scenarios` sends what a real incident looks like: the real check evaluated on
its own example inputs that fire, under the policy in force, so an operator sees in Slack or
PagerDuty exactly what 3 a.m. brings, and the test can never drift from the real alert.
"""

from __future__ import annotations

from datetime import datetime

from checks.base import Check
from config.policy import Policy
from core.alert_state import AlertState
from core.notification import Notification, NotificationKind


def test_notification(
    check: Check, account: str, policy: Policy, now: datetime, production: bool
) -> Notification:
    if production:
        result = check.run(check.examples(policy, now).firing, policy, now)
        message, context = result.summary, dict(result.context)
    else:
        message, context = f"test notification for {check.title}", {"test": True}
    state = AlertState(
        account,
        check.name,
        check.title,
        check.severity,
        now,
        now,
        summary=message,
        context=context,
        first_seen=now,
        last_seen=now,
        notification_count=1,
    )
    return Notification.about(state, NotificationKind.TEST, False, check.runbook)
