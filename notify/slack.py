"""Slack incoming webhook: Block Kit with a plain-text fallback, within Slack's limits.

Limits (api.slack.com/reference/block-kit): 50 blocks a message, header text 150 chars,
section text 3000, 10 fields a section of 2000 each, context elements 10.
"""

from __future__ import annotations

import json
from typing import Any

from notify.http import HttpChannel

_HEADER_MAX = 150
_TEXT_MAX = 3000
_FIELD_MAX = 2000
_FIELDS_PER_SECTION = 10
_MAX_FIELDS = 20
_ICON = {"CRITICAL": ":rotating_light:", "WARNING": ":warning:", "INFO": ":information_source:"}


class SlackChannel(HttpChannel):
    def bodies(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        return [slack_message(payload)]


def slack_message(payload: dict[str, Any]) -> dict[str, Any]:
    """The Block Kit message for one notification body."""
    headline = _headline(payload)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(headline, _HEADER_MAX)}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _cut(payload["message"], _TEXT_MAX)},
        },
    ]
    context = dict(payload.get("context") or {})
    action = context.pop("action", None)
    fields = [
        {"type": "mrkdwn", "text": _cut(f"*{key}*\n{_value(value)}", _FIELD_MAX)}
        for key, value in list(context.items())[:_MAX_FIELDS]
    ]
    for start in range(0, len(fields), _FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": fields[start : start + _FIELDS_PER_SECTION]})
    footer = [f"*key* `{payload['key']}`", f"*first seen* {payload.get('first_seen') or '-'}"]
    if action:
        footer.append(f"*action* {action}")
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": _cut(t, _FIELD_MAX)} for t in footer],
        }
    )
    if payload.get("runbook") and payload["status"] != "resolved":
        runbook = _cut(f"*Runbook* {payload['runbook']}", _TEXT_MAX)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": runbook}})
    return {"text": _cut(f"{headline}: {payload['message']}", _TEXT_MAX), "blocks": blocks}


def _headline(payload: dict[str, Any]) -> str:
    status = payload["status"]
    if status == "resolved":
        return f":white_check_mark: RESOLVED {payload['title']}"
    prefix = "[TEST] " if status == "test" else ""
    escalated = " (ESCALATED)" if payload.get("escalated") else ""
    icon = _ICON.get(payload["severity"], "")
    return f"{icon} {prefix}{payload['severity']}{escalated}: {payload['title']}".strip()


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
