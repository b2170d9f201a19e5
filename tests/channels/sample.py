"""One realistic notification to render, with fields overridden per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from core.notification import Notification, NotificationKind
from core.status import Severity

REFERENCE = Notification(
    kind=NotificationKind.FIRING,
    key="default:reconcile",
    account="default",
    alert="reconcile",
    title="Reconcile Mismatch",
    severity=Severity.WARNING,
    escalated=False,
    message="1 position differs from the exchange",
    context={"total_count": 1, "action": "syncing_to_exchange_truth"},
    first_seen=datetime(2026, 11, 27, 3, 0, tzinfo=UTC),
    last_seen=datetime(2026, 11, 27, 3, 5, tzinfo=UTC),
    notification_count=1,
    runbook="Compare the bot's positions with the exchange.",
)


def notification(**overrides) -> Notification:
    return replace(REFERENCE, **overrides)
