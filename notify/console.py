"""The console channel: every notification as a readable block on the log (stderr)."""

from __future__ import annotations

import json
import logging
from typing import Any

from core.status import Severity
from notify.base import Channel

log = logging.getLogger("alert_matrix.notify")


class ConsoleChannel(Channel):
    def __init__(self, name: str = "console", min_severity: Severity = Severity.INFO) -> None:
        super().__init__(name, min_severity, escalation=False)

    def send(self, payload: dict[str, Any], notification_id: str) -> None:
        log.warning(render(payload))


def render(payload: dict[str, Any]) -> str:
    escalated = payload.get("escalated") and payload["status"] == "firing"
    status = payload["status"].upper() + (" (ESCALATED)" if escalated else "")
    lines = [
        f"[{payload['severity']}] {status} {payload['key']} - {payload['title']}: "
        f"{payload['message']}"
    ]
    context = payload.get("context") or {}
    if context:
        lines.append("  context: " + json.dumps(context, sort_keys=True, default=str))
    if payload.get("runbook") and payload["status"] != "resolved":
        lines.append(f"  runbook: {payload['runbook']}")
    return "\n".join(lines)
