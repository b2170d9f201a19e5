"""Slack: Block Kit within its limits."""

from __future__ import annotations

import json

from core.notification import NotificationKind
from notify.channels.slack import SlackChannel, SlackSettings, slack_message
from tests.channels.sample import HOSTILE, notification


def test_slack_message_has_header_text_fields_action_and_runbook():
    message = slack_message(notification())
    assert message["text"].endswith("Reconcile Mismatch: 1 position differs from the exchange")
    header, section, fields, footer, runbook = message["blocks"]
    assert header["type"] == "header" and "WARNING" in header["text"]["text"]
    assert section["text"]["text"] == "1 position differs from the exchange"
    assert fields["fields"] == [{"type": "mrkdwn", "text": "*total_count*\n1"}]
    assert "syncing_to_exchange_truth" in footer["elements"][-1]["text"]
    assert "2026-11-27T03:00:00+00:00" in footer["elements"][1]["text"]
    assert "Compare the bot's positions" in runbook["text"]["text"]


def test_slack_message_stays_within_block_kit_limits():
    huge = notification(
        title="T" * 500,
        message="m" * 10_000,
        context={f"key{index}": "v" * 5000 for index in range(60)},
        runbook="r" * 9000,
    )
    message = slack_message(huge)
    blocks = message["blocks"]
    assert len(blocks) <= 50
    assert len(blocks[0]["text"]["text"]) <= 150
    assert len(message["text"]) <= 3000
    for block in blocks:
        if block["type"] == "section":
            assert len(block.get("fields", [])) <= 10
            assert all(len(field["text"]) <= 2000 for field in block.get("fields", []))
            assert len(block.get("text", {}).get("text", "")) <= 3000
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


def test_slack_resolved_and_test_headlines():
    resolved = slack_message(notification(kind=NotificationKind.RESOLVED))
    assert "RESOLVED" in resolved["blocks"][0]["text"]["text"]
    assert not any("Runbook" in str(block) for block in resolved["blocks"])
    test = slack_message(notification(kind=NotificationKind.TEST))
    assert "[TEST]" in test["blocks"][0]["text"]["text"]


def test_hostile_text_reaches_slack_escaped_in_every_mrkdwn_text(receiver):
    settings = SlackSettings(name="slack", type="slack", url=receiver.url("/services/T/B/X"))
    SlackChannel(settings).send(HOSTILE, "n-1")
    [request] = receiver.requests
    body = json.loads(request.raw)
    escaped = (
        "boom in &lt;module&gt; &amp; &lt;!channel&gt; &lt;@U123&gt; @everyone "
        "&lt;script&gt;x&lt;/script&gt; **b** gnp.exe[2J\n2nd line yyy"
    )
    _header, message, fields, *_ = body["blocks"]
    assert message["text"]["text"].startswith(escaped)
    assert body["text"].startswith(f":rotating_light: CRITICAL: Reconcile Mismatch: {escaped}")
    assert {
        "type": "mrkdwn",
        "text": "*latest_exception*\nValueError: &lt;!here&gt; &amp; &lt;b&gt;bold&lt;/b&gt; @here",
    } in fields["fields"]
    for raw in (b"<!channel>", b"<!here>", b"<@U123>", b"<module>", b"\\u202e", b"\\u001b"):
        assert raw not in request.raw
    assert len(message["text"]["text"]) <= 3000 and len(body["text"]) <= 3000


def test_more_context_than_slack_shows_says_how_much_was_cut():
    many = slack_message(notification(context={f"k{i}": i for i in range(30)}))
    fields = [field for block in many["blocks"] for field in block.get("fields", [])]
    assert len(fields) == 20
    assert fields[-1]["text"] == "11 more details cut to fit Slack's limits"
