"""Discord: an incoming webhook message with one embed.

Reference: discord.com/developers/docs/resources/webhook#execute-webhook and the embed
limits of .../resources/message#embed-object-embed-limits: content 2000 characters, title
256, description 4096, 25 fields of name 256 and value 1024, footer 2048, and 6000 for all
the embed's text together. `allowed_mentions` is empty, so nothing in a message can ping
anyone; bot text is escaped besides (markdown and mentions), so it shows as written. A 429
answers `retry_after` (seconds) in its JSON body. The webhook URL holds its token: a secret.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import SecretStr

from config.models import ChannelSettings
from core.notification import Notification, NotificationKind
from core.status import Severity
from notify.http import HttpChannel
from notify.render import parts
from notify.text import cut_note, fit, length, longest_fitting

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
_COLOUR = {Severity.CRITICAL: 0xD62828, Severity.WARNING: 0xF4A261, Severity.INFO: 0x457B9D}
_RESOLVED_COLOUR = 0x2A9D8F
_MARKDOWN = re.compile(r"([\\*_~`|>#\-\[\]<])")


class DiscordSettings(ChannelSettings):
    type: Literal["discord"]
    url: SecretStr


class DiscordChannel(HttpChannel):
    settings_model = DiscordSettings

    def bodies(self, notification: Notification) -> list[dict[str, Any]]:
        return [discord_message(notification)]


def escape(text: str) -> str:
    """Markdown shown as written (a backslash before each markup character) and `@` followed
    by a zero-width space, so `@everyone` or `<@123>` never reads as a mention."""
    return _MARKDOWN.sub(r"\\\1", text).replace("@", "@\u200b")


def discord_message(notification: Notification) -> dict[str, Any]:
    shown = parts(notification)
    resolved = notification.kind is NotificationKind.RESOLVED
    footer = f"{notification.key} · first seen {shown.first_seen}"
    embed: dict[str, Any] = {
        "title": fit(shown.headline, TITLE_MAX, escape),
        "description": fit(shown.message, DESCRIPTION_MAX, escape),
        "color": _RESOLVED_COLOUR if resolved else _COLOUR[notification.severity],
        "footer": {"text": fit(footer, FOOTER_MAX)},
    }
    if notification.last_seen is not None:
        embed["timestamp"] = notification.last_seen.isoformat()
    named = [("action", shown.action)] if shown.action else []
    named += shown.details
    if shown.runbook:
        named.append(("runbook", shown.runbook))
    embed["fields"] = _fields(embed, named)
    return {
        "content": fit(shown.headline, CONTENT_MAX, escape),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


def _fields(embed: dict[str, Any], named: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """As many fields as the embed's limits take, in order; the last says what was cut."""
    fields = [
        {
            "name": fit(name, FIELD_NAME_MAX, escape),
            "value": fit(value, FIELD_VALUE_MAX, escape) or "-",
            "inline": len(value) <= 40,
        }
        for name, value in named
    ]

    def with_note(kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(kept) == len(fields):
            return kept
        note = cut_note(len(fields) - len(kept), "Discord")
        return [*kept, {"name": "…", "value": note, "inline": False}]

    def fits(kept: list[dict[str, Any]]) -> bool:
        shown = with_note(kept)
        return len(shown) <= FIELDS_MAX and embed_length({**embed, "fields": shown}) <= (
            EMBED_TOTAL_MAX
        )

    return with_note(longest_fitting(fields, fits))


def embed_length(embed: dict[str, Any]) -> int:
    """What Discord counts against 6000: title, description, field names and values, footer."""
    texts = [embed.get("title", ""), embed.get("description", ""), embed["footer"]["text"]]
    texts += [part for field in embed.get("fields", []) for part in (field["name"], field["value"])]
    return sum(length(text) for text in texts)
