"""The console channel: every notification as a readable block on the log (stderr)."""

from __future__ import annotations

import json
import logging
from typing import Literal

from config.models import ChannelSettings, SeverityName
from core.notification import Notification, NotificationKind
from notify.base import Channel

log = logging.getLogger("alert_matrix.notify")


class ConsoleSettings(ChannelSettings):
    type: Literal["console"]
    min_severity: SeverityName = "INFO"


class ConsoleChannel(Channel):
    settings_model = ConsoleSettings

    def send(self, notification: Notification, notification_id: str) -> None:
        log.warning(render(notification))


def render(notification: Notification) -> str:
    escalated = notification.escalated and notification.status == "firing"
    status = notification.status.upper() + (" (ESCALATED)" if escalated else "")
    lines = [
        f"[{notification.severity.name}] {status} {notification.key} - {notification.title}: "
        f"{notification.message}"
    ]
    if notification.context:
        lines.append(
            "  context: " + json.dumps(dict(notification.context), sort_keys=True, default=str)
        )
    if notification.runbook and notification.kind is not NotificationKind.RESOLVED:
        lines.append(f"  runbook: {notification.runbook}")
    return "\n".join(lines)
