"""Telegram: the Bot API's sendMessage to one chat, in its HTML parse mode.

Reference: core.telegram.org/bots/api#sendmessage and #html-style. The text may hold at most
4096 characters; only `<b>`, `<i>`, `<code>` (and a few more) are tags, and every other `<`,
`>` and `&` must be an entity, so all bot text is escaped and our own tags wrap it. A 429
answers `{"parameters": {"retry_after": N}}` in its body, which `notify.http` honours. The
bot token is part of the URL: like a Slack hook it is a secret, never shown.
"""

from __future__ import annotations

import html
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator

from config.models import ChannelSettings
from core.notification import Notification
from notify.http import HttpChannel
from notify.render import parts
from notify.text import cut_note, fit, length, longest_fitting

TEXT_MAX = 4096
_MESSAGE_MAX = 1800
_DETAIL_MAX = 600
_RUNBOOK_MAX = 800


class TelegramSettings(ChannelSettings):
    """`url` (optional) replaces https://api.telegram.org, e.g. a local Bot API server."""

    type: Literal["telegram"]
    bot_token: SecretStr
    chat_id: str = Field(pattern=r"^(-?\d+|@[A-Za-z0-9_]{5,})$")

    @field_validator("chat_id", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        """`chat_id: -1001234567890` unquoted in YAML is a number: the same chat."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class TelegramChannel(HttpChannel):
    settings_model = TelegramSettings
    default_url = "https://api.telegram.org"

    def __init__(self, settings: TelegramSettings) -> None:
        super().__init__(settings)
        self._chat_id = settings.chat_id

    def endpoint(self, settings: ChannelSettings) -> str:
        assert isinstance(settings, TelegramSettings)
        base = super().endpoint(settings).rstrip("/")
        return f"{base}/bot{settings.bot_token.get_secret_value()}/sendMessage"

    def bodies(self, notification: Notification) -> list[dict[str, Any]]:
        return [
            {
                "chat_id": self._chat_id,
                "text": telegram_text(notification),
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            }
        ]


def escape(text: str) -> str:
    """What Telegram's HTML mode wants escaped: `&`, `<`, `>`."""
    return html.escape(text, quote=False)


def telegram_text(notification: Notification) -> str:
    """The message in HTML, at most 4096 characters: details are cut (with a note) first."""
    shown = parts(notification)
    head = [f"<b>{fit(shown.headline, 256, escape)}</b>", fit(shown.message, _MESSAGE_MAX, escape)]
    key = fit(notification.key, 300, escape)
    tail = [f"<i>key</i> <code>{key}</code> · first seen {shown.first_seen}"]
    if shown.action:
        tail.append(f"<b>Action</b>: {fit(shown.action, _DETAIL_MAX, escape)}")
    if shown.runbook:
        tail.append(f"<b>Runbook</b>: {fit(shown.runbook, _RUNBOOK_MAX, escape)}")
    details = [
        f"<b>{escape(key)}</b>: {fit(value, _DETAIL_MAX, escape)}" for key, value in shown.details
    ]
    note = f"<i>{cut_note(len(details), 'Telegram')}</i>"

    def fits(kept: list[str]) -> bool:
        extra = [note] if len(kept) < len(details) else []
        return length("\n".join([*head, "", *kept, *extra, "", *tail])) <= TEXT_MAX

    kept = longest_fitting(details, fits)
    if len(kept) < len(details):
        kept.append(f"<i>{cut_note(len(details) - len(kept), 'Telegram')}</i>")
    return "\n".join([*head, "", *kept, "", *tail])
