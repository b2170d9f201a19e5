"""PagerDuty Events API v2: trigger / resolve, one incident per alert key (dedup_key).

Reference: developer.pagerduty.com/docs/events-api-v2/trigger-events (202 Accepted; 400 is a
bad event, 429 and 5xx are retried).
"""

from __future__ import annotations

from typing import Any

from core.status import Severity
from notify.http import HttpChannel

_SUMMARY_MAX = 1024
_SEVERITY = {"CRITICAL": "critical", "WARNING": "warning", "INFO": "info"}


class PagerDutyChannel(HttpChannel):
    def __init__(
        self,
        name: str,
        url: str,
        routing_key: str,
        min_severity: Severity,
        escalation: bool,
        timeout: float,
    ) -> None:
        super().__init__(name, url, min_severity, escalation, timeout)
        self._routing_key = routing_key

    def bodies(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"routing_key": self._routing_key, **event} for event in pagerduty_events(payload)]


def pagerduty_events(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The events (without routing key) for one notification body. A test opens and at once
    resolves its own incident, so it proves the path without leaving anyone paged."""
    status = payload["status"]
    if status == "resolved":
        return [{"event_action": "resolve", "dedup_key": payload["key"]}]
    dedup_key = f"test:{payload['key']}" if status == "test" else payload["key"]
    prefix = "[TEST] " if status == "test" else ""
    summary = f"{prefix}{payload['title']}: {payload['message']}"
    trigger = {
        "event_action": "trigger",
        "dedup_key": dedup_key,
        "payload": {
            "summary": summary[:_SUMMARY_MAX],
            "source": f"alert-matrix/{payload['account']}",
            "severity": "info" if status == "test" else _SEVERITY.get(payload["severity"], "error"),
            "timestamp": payload.get("last_seen") or payload.get("first_seen"),
            "component": payload["alert"],
            "group": payload["account"],
            "class": payload["title"],
            "custom_details": {
                **(payload.get("context") or {}),
                "escalated": payload.get("escalated", False),
                "runbook": payload.get("runbook", ""),
                "notification_count": payload.get("notification_count"),
            },
        },
    }
    trigger["payload"] = {k: v for k, v in trigger["payload"].items() if v is not None}
    if status == "test":
        return [trigger, {"event_action": "resolve", "dedup_key": dedup_key}]
    return [trigger]
