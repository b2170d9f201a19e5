"""What every chat-like channel shows of a notification, before its own markup and escaping.

Slack, Telegram, Discord and email lay these parts out in their own formats; taking them from
one place keeps the four saying the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.notification import Notification, NotificationKind
from notify.text import shown


@dataclass(frozen=True)
class Parts:
    headline: str  # `[TEST] CRITICAL (ESCALATED): Kill Switch Activated`, `RESOLVED: ...`
    message: str
    details: list[tuple[str, str]]  # the context (less `action`), values as text
    action: str
    runbook: str  # "" once resolved: nothing left to do
    first_seen: str


def parts(notification: Notification) -> Parts:
    context = dict(notification.context)
    action = context.pop("action", None)
    resolved = notification.kind is NotificationKind.RESOLVED
    return Parts(
        headline=headline(notification),
        message=notification.message,
        details=[(key, shown(value)) for key, value in context.items()],
        action=shown(action) if action else "",
        runbook="" if resolved else notification.runbook,
        first_seen=notification.first_seen.isoformat() if notification.first_seen else "-",
    )


def headline(notification: Notification) -> str:
    if notification.kind is NotificationKind.RESOLVED:
        return f"RESOLVED: {notification.title}"
    prefix = "[TEST] " if notification.kind is NotificationKind.TEST else ""
    escalated = " (ESCALATED)" if notification.escalated else ""
    return f"{prefix}{notification.severity.name}{escalated}: {notification.title}"
