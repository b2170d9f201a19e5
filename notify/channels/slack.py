"""Slack incoming webhook: Block Kit with a plain-text fallback, within Slack's limits.

Limits (api.slack.com/reference/block-kit): 50 blocks a message, header text 150 chars,
section text 3000, 10 fields a section of 2000 each, context elements 10.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import SecretStr

from config.models import ChannelSettings
from core.notification import Notification, NotificationKind
from notify.http import HttpChannel

_HEADER_MAX = 150
_TEXT_MAX = 3000
_FIELD_MAX = 2000
_FIELDS_PER_SECTION = 10
_MAX_FIELDS = 20
_ICON = {"CRITICAL": ":rotating_light:", "WARNING": ":warning:", "INFO": ":information_source:"}


class SlackSettings(ChannelSettings):
    type: Literal["slack"]
    url: SecretStr


class SlackChannel(HttpChannel):
    settings_model = SlackSettings

    def bodies(self, notification: Notification) -> list[dict[str, Any]]:
        return [slack_message(notification)]


def slack_message(notification: Notification) -> dict[str, Any]:
    """The Block Kit message for one notification."""
    headline = _headline(notification)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(headline, _HEADER_MAX)}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _cut(notification.message, _TEXT_MAX)},
        },
    ]
    context = dict(notification.context)
    action = context.pop("action", None)
    fields = [
        {"type": "mrkdwn", "text": _cut(f"*{key}*\n{_value(value)}", _FIELD_MAX)}
        for key, value in list(context.items())[:_MAX_FIELDS]
    ]
    for start in range(0, len(fields), _FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": fields[start : start + _FIELDS_PER_SECTION]})
    first_seen = notification.first_seen.isoformat() if notification.first_seen else "-"
    footer = [f"*key* `{notification.key}`", f"*first seen* {first_seen}"]
    if action:
        footer.append(f"*action* {action}")
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": _cut(t, _FIELD_MAX)} for t in footer],
        }
    )
    if notification.runbook and notification.kind is not NotificationKind.RESOLVED:
        runbook = _cut(f"*Runbook* {notification.runbook}", _TEXT_MAX)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": runbook}})
    return {"text": _cut(f"{headline}: {notification.message}", _TEXT_MAX), "blocks": blocks}


def _headline(notification: Notification) -> str:
    if notification.kind is NotificationKind.RESOLVED:
        return f":white_check_mark: RESOLVED {notification.title}"
    prefix = "[TEST] " if notification.kind is NotificationKind.TEST else ""
    escalated = " (ESCALATED)" if notification.escalated else ""
    severity = notification.severity.name
    icon = _ICON.get(severity, "")
    return f"{icon} {prefix}{severity}{escalated}: {notification.title}".strip()


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
