"""PagerDuty Events API v2: trigger / resolve, one incident per alert key (dedup_key).

Reference: developer.pagerduty.com/docs/events-api-v2/trigger-events (202 Accepted; 400 is a
bad event, 429 and 5xx are retried).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import SecretStr

from config.models import ChannelSettings
from core.format import iso
from core.notification import Notification, NotificationKind
from core.status import Severity
from notify.http import HttpChannel

_SUMMARY_MAX = 1024
_SEVERITY = {Severity.CRITICAL: "critical", Severity.WARNING: "warning", Severity.INFO: "info"}


class PagerDutySettings(ChannelSettings):
    type: Literal["pagerduty"]
    routing_key: SecretStr


class PagerDutyChannel(HttpChannel):
    settings_model = PagerDutySettings
    default_url = "https://events.pagerduty.com/v2/enqueue"

    def __init__(self, settings: PagerDutySettings) -> None:
        super().__init__(settings)
        self._routing_key = settings.routing_key.get_secret_value()

    def bodies(self, notification: Notification) -> list[dict[str, Any]]:
        events = pagerduty_events(notification)
        return [{"routing_key": self._routing_key, **event} for event in events]


def pagerduty_events(notification: Notification) -> list[dict[str, Any]]:
    """The events (without routing key) for one notification. A test opens and at once
    resolves its own incident, so it proves the path without leaving anyone paged."""
    if notification.kind is NotificationKind.RESOLVED:
        return [{"event_action": "resolve", "dedup_key": notification.key}]
    test = notification.kind is NotificationKind.TEST
    dedup_key = f"test:{notification.key}" if test else notification.key
    prefix = "[TEST] " if test else ""
    summary = f"{prefix}{notification.title}: {notification.message}"
    trigger = {
        "event_action": "trigger",
        "dedup_key": dedup_key,
        "payload": {
            "summary": summary[:_SUMMARY_MAX],
            "source": f"alert-matrix/{notification.account}",
            "severity": "info" if test else _SEVERITY[notification.severity],
            "timestamp": iso(notification.last_seen or notification.first_seen),
            "component": notification.alert,
            "group": notification.account,
            "class": notification.title,
            "custom_details": {
                **notification.context,
                "escalated": notification.escalated,
                "runbook": notification.runbook,
                "notification_count": notification.notification_count,
            },
        },
    }
    trigger["payload"] = {k: v for k, v in trigger["payload"].items() if v is not None}
    if test:
        return [trigger, {"event_action": "resolve", "dedup_key": dedup_key}]
    return [trigger]
