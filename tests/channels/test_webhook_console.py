"""The generic webhook and the console with hostile text: the webhook body carries the text
bounded and cleaned (its receiver escapes for its own use), the console no terminal escapes."""

from __future__ import annotations

import json
import logging

from notify.channels.console import ConsoleChannel, ConsoleSettings
from notify.channels.webhook import WebhookChannel, WebhookSettings
from tests.channels.sample import HOSTILE, HOSTILE_SHOWN


def test_the_webhook_body_carries_the_bounded_clean_text(receiver):
    WebhookChannel(WebhookSettings(name="w", type="webhook", url=receiver.url())).send(
        HOSTILE, "n-1"
    )
    [request] = receiver.requests
    body = json.loads(request.raw)
    assert body["message"].startswith(HOSTILE_SHOWN + "yyy")
    assert len(body["message"]) == 2000 and body["message"].endswith("characters cut]")
    assert body["context"]["latest_traceback"].endswith("characters cut]")
    assert len(request.raw) < 32 * 1024
    for raw in (b"\\u202e", b"\\u001b", b"\\u0000"):
        assert raw not in request.raw


def test_the_console_writes_no_terminal_control_characters(caplog):
    with caplog.at_level(logging.WARNING, logger="alert_matrix.notify"):
        ConsoleChannel(ConsoleSettings(name="console", type="console")).send(HOSTILE, "n-1")
    [record] = caplog.records
    text = record.getMessage()
    assert "\x1b" not in text and "\u202e" not in text and "\x00" not in text
    assert len(text) < 32 * 1024
