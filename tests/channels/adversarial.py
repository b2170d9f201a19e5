"""The largest notifications a bot can cause, and what each channel makes of them.

Text is bounded where a notification is made, so each channel's body has a ceiling; these
notifications push every bounded field to its limit with characters that grow the most
under each receiver's escaping (`&` is `&amp;`, an emoji is 12 bytes of JSON, markdown gets
backslashes). `bench/largest_bodies.py` prints the figures; the tests hold the limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from core.notification import Notification, NotificationKind
from core.status import Severity
from notify.channels.discord import discord_message
from notify.channels.email import EmailSettings, email_message
from notify.channels.pagerduty import pagerduty_events
from notify.channels.slack import slack_message
from notify.channels.telegram import telegram_text
from tests.channels.sample import notification

ALPHABETS = ("a", "&", "<", '"', "\\", "*", "@", "é", "\U0001f600", '&<\U0001f600"*@')
EMAIL = EmailSettings.model_validate(
    {"name": "m", "type": "email", "smtp_host": "h", "from": "a@example.com", "to": ["b@x.org"]}
)


def adversarial() -> Iterator[Notification]:
    """For each alphabet: a firing with every text at its bound, flat and nested contexts."""
    for chars in ALPHABETS:
        text = chars * 5000
        contexts = [
            {f"{chars * 40}{i:03d}": text for i in range(60)},
            {f"k{i}": [text[:600]] * 30 for i in range(20)},
            {f"k{i}": i for i in range(200)},
        ]
        for context in contexts:
            yield notification(
                kind=NotificationKind.ESCALATION,
                severity=Severity.CRITICAL,
                escalated=True,
                key="a" * 300 + ":exceptions",
                title=text,
                message=text,
                context=context,
                runbook=text,
            )


def bodies(made: Notification) -> dict[str, bytes]:
    """Each channel's request body (the email: the whole message) in bytes, as sent."""
    routing = {"routing_key": "R" * 32}
    telegram = {"chat_id": "-1001234567890", "text": telegram_text(made), "parse_mode": "HTML"}
    return {
        "webhook": _json(made.body()),
        "slack": _json(slack_message(made)),
        "pagerduty": max((_json({**routing, **e}) for e in pagerduty_events(made)), key=len),
        "telegram": _json({**telegram, "link_preview_options": {"is_disabled": True}}),
        "discord": _json(discord_message(made)),
        "email": email_message(made, "0" * 36, EMAIL).as_bytes(),
    }


def _json(body: object) -> bytes:
    """As `requests` sends `json=`: ASCII-escaped JSON."""
    return json.dumps(body, allow_nan=False).encode()
