"""Slack incoming webhook: Block Kit with a plain-text fallback, within Slack's limits.

Limits (api.slack.com/reference/block-kit): 50 blocks a message, header text 150 chars,
section text 3000, 10 fields a section of 2000 each, context elements 10. Every piece of
text in mrkdwn has `&`, `<` and `>` escaped as Slack asks (api.slack.com/reference/surfaces/
formatting#escaping): bot text can then never become a `<!channel>` ping, a user mention or a
link.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import SecretStr

from config.models import ChannelSettings
from core.notification import Notification, NotificationKind
from notify.http import HttpChannel
from notify.render import parts
from notify.text import cut_note, fit, length

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


def escape(text: str) -> str:
    """Slack's three control characters as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(notification: Notification) -> dict[str, Any]:
    """The Block Kit message for one notification."""
    shown = parts(notification)
    icon = (
        ":white_check_mark:"
        if notification.kind is NotificationKind.RESOLVED
        else _ICON[notification.severity.name]
    )
    headline = f"{icon} {shown.headline}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": fit(headline, _HEADER_MAX)}},
        _section(shown.message),
    ]
    fields = [_field(f"*{escape(key)}*\n", value) for key, value in shown.details]
    if len(fields) > _MAX_FIELDS:
        left_out = len(fields) - _MAX_FIELDS + 1
        fields = [*fields[: _MAX_FIELDS - 1], _field("", cut_note(left_out, "Slack"))]
    for start in range(0, len(fields), _FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": fields[start : start + _FIELDS_PER_SECTION]})
    footer = [f"*key* `{escape(notification.key)}`", f"*first seen* {shown.first_seen}"]
    if shown.action:
        footer.append(f"*action* {escape(shown.action)}")
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": fit(t, _FIELD_MAX)} for t in footer],
        }
    )
    if shown.runbook:
        blocks.append(_section(shown.runbook, "*Runbook* "))
    fallback = fit(f"{headline}: {shown.message}", _TEXT_MAX, escape)
    return {"text": fallback, "blocks": blocks}


def _section(text: str, label: str = "") -> dict[str, Any]:
    return {"type": "section", "text": _field(label, text, _TEXT_MAX)}


def _field(label: str, text: str, limit: int = _FIELD_MAX) -> dict[str, str]:
    """A mrkdwn text: our own markup in `label`, the untrusted `text` escaped."""
    return {"type": "mrkdwn", "text": label + fit(text, limit - length(label), escape)}
