"""Discord webhooks against a real local server: one embed within Discord's limits, nothing
that can ping (`allowed_mentions` empty, mentions and markdown escaped), 429 retry_after."""

from __future__ import annotations

import json

import pytest

from emulator.receiver import Reply
from notify.base import DeliveryError
from notify.channels.discord import (
    EMBED_TOTAL_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    DiscordChannel,
    DiscordSettings,
    discord_message,
    embed_length,
)
from notify.registry import CHANNEL_TYPES
from tests.channels.sample import HOSTILE, notification

HOOK = "/api/webhooks/123456789/T0KEN-secret_value"


def _channel(receiver) -> DiscordChannel:
    settings = DiscordSettings(name="dc", type="discord", url=receiver.url(HOOK))
    return DiscordChannel(settings)


def test_discord_is_a_channel_type():
    assert CHANNEL_TYPES["discord"] is DiscordChannel


def test_hostile_text_is_escaped_and_pings_no_one(receiver):
    receiver.default = Reply(204, body="")
    _channel(receiver).send(HOSTILE, "n-1")
    [request] = receiver.requests
    assert request.path == HOOK
    body = json.loads(request.raw)
    assert body["allowed_mentions"] == {"parse": []}
    [embed] = body["embeds"]
    assert embed["description"].startswith(
        "boom in \\<module\\> & \\<!channel\\> \\<@\u200bU123\\> @\u200beveryone "
        "\\<script\\>x\\</script\\> \\*\\*b\\*\\* gnp.exe\\[2J\n2nd line yyy"
    )
    exception = next(f for f in embed["fields"] if f["name"] == "latest\\_exception")
    assert exception["value"] == ("ValueError: \\<!here\\> & \\<b\\>bold\\</b\\> @\u200bhere")
    assert body["content"] == "CRITICAL: Reconcile Mismatch"
    assert embed["color"] == 0xD62828 and embed["timestamp"] == "2026-11-27T03:05:00+00:00"
    for raw in (b"<!channel>", b"@everyone", b"<@U123>", b"\\u202e", b"\\u001b", b"\\u0000"):
        assert raw not in request.raw


def test_the_embed_stays_within_every_discord_limit_and_says_what_it_cut():
    huge = notification(
        title="T" * 500,
        message="m" * 5000,
        context={f"figure_{i}": "v" * 1500 for i in range(60)},
        runbook="r" * 3000,
    )
    body = discord_message(huge)
    [embed] = body["embeds"]
    assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096
    assert len(embed["fields"]) <= FIELDS_MAX
    assert all(
        len(f["value"]) <= FIELD_VALUE_MAX and len(f["name"]) <= 256 for f in embed["fields"]
    )
    assert embed_length(embed) <= EMBED_TOTAL_MAX
    assert "cut to fit Discord's limits" in embed["fields"][-1]["value"]


def test_429_retry_after_seconds_in_the_body(receiver):
    receiver.script(
        Reply(
            429,
            {"Content-Type": "application/json", "Retry-After": "3"},
            '{"message": "You are being rate limited.", "retry_after": 3.5, "global": false}',
        )
    )
    with pytest.raises(DeliveryError) as raised:
        _channel(receiver).send(notification(), "n-2")
    assert raised.value.retryable and raised.value.retry_after == 3.5
    assert "T0KEN" not in str(raised.value)
