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


# What a hostile or broken bot can put in an exception message and its context: chat markup,
# mentions, HTML, a terminal escape, a NUL, a right-to-left override, and a megabyte.
HOSTILE_START = "boom in <module> & <!channel> <@U123> @everyone <script>x</script> **b** "
HOSTILE = notification(
    kind=NotificationKind.FIRING,
    severity=Severity.CRITICAL,
    message=HOSTILE_START + "\u202egnp.exe\x1b[2J\x00\n2nd line " + "y" * 1_048_576,
    context={
        "latest_exception": "ValueError: <!here> & <b>bold</b> @here",
        "latest_traceback": "t" * 900_000,
        "action": "check_for_systemic_issue",
    },
)
# The message as every channel receives it: bounded and cleaned, before its own escaping.
HOSTILE_SHOWN = HOSTILE_START + "gnp.exe[2J\n2nd line "
