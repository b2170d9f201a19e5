"""PagerDuty Events API v2: trigger / resolve, one incident per alert key (dedup_key).

Reference: developer.pagerduty.com/docs/events-api-v2/trigger-events (202 Accepted; 400 is a
bad event, 429 and 5xx are retried). A 400 is never retried, so an event PagerDuty would
refuse is made to fit before it is sent: `dedup_key` at most 255 characters (a longer key
keeps its start and ends with a stable hash of the whole, so trigger and resolve agree),
`summary` at most 1024, and the whole event under 512 KB (details are cut, with a note).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import SecretStr

from config.models import ChannelSettings
from core.format import iso
from core.notification import Notification, NotificationKind
from core.status import Severity
from notify.http import HttpChannel
from notify.text import cut_note, fit, longest_fitting

SUMMARY_MAX = 1024
DEDUP_KEY_MAX = 255
BODY_MAX = 512 * 1024 - 4096  # bytes; room for the routing key and JSON spacing
_HASH = 16
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


def dedup_key(key: str) -> str:
    """The key itself when PagerDuty takes it, else its start and a stable hash of it all."""
    if len(key) <= DEDUP_KEY_MAX:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:_HASH]
    return f"{key[: DEDUP_KEY_MAX - _HASH - 1]}~{digest}"


def pagerduty_events(notification: Notification) -> list[dict[str, Any]]:
    """The events (without routing key) for one notification. A test opens and at once
    resolves its own incident, so it proves the path without leaving anyone paged."""
    if notification.kind is NotificationKind.RESOLVED:
        return [{"event_action": "resolve", "dedup_key": dedup_key(notification.key)}]
    test = notification.kind is NotificationKind.TEST
    key = dedup_key(f"test:{notification.key}" if test else notification.key)
    prefix = "[TEST] " if test else ""
    payload = {
        "summary": fit(f"{prefix}{notification.title}: {notification.message}", SUMMARY_MAX),
        "source": f"alert-matrix/{notification.account}",
        "severity": "info" if test else _SEVERITY[notification.severity],
        "timestamp": iso(notification.last_seen or notification.first_seen),
        "component": notification.alert,
        "group": notification.account,
        "class": notification.title,
    }
    trigger = {
        "event_action": "trigger",
        "dedup_key": key,
        "payload": {k: v for k, v in payload.items() if v is not None},
    }
    trigger["payload"]["custom_details"] = _details(notification, trigger)
    if test:
        return [trigger, {"event_action": "resolve", "dedup_key": key}]
    return [trigger]


def _details(notification: Notification, trigger: dict[str, Any]) -> dict[str, Any]:
    """`custom_details`: what the responder needs first, then the context, as much of it as
    keeps the event under PagerDuty's size limit."""
    first = {
        "escalated": notification.escalated,
        "runbook": notification.runbook,
        "notification_count": notification.notification_count,
    }
    context = [(k, v) for k, v in notification.context.items() if k not in first]
    note = {"details_cut": cut_note(len(context), "PagerDuty")}

    def fits(kept: list[tuple[str, Any]]) -> bool:
        details = {**first, **dict(kept), **note}
        event = {**trigger, "payload": {**trigger["payload"], "custom_details": details}}
        return _size(event) <= BODY_MAX

    kept = longest_fitting(context, fits)
    details = {**first, **dict(kept)}
    if len(kept) < len(context):
        details["details_cut"] = cut_note(len(context) - len(kept), "PagerDuty")
    return details


def _size(event: dict[str, Any]) -> int:
    return len(json.dumps(event, default=str).encode())
