"""Telegram Bot API sendMessage against a real local server: the token in the path, HTML
escaped for its parse mode, the 4096-character limit, and 429 with retry_after in the body."""

from __future__ import annotations

import json

import pytest

from emulator.receiver import Reply
from notify.base import DeliveryError
from notify.channels.telegram import TEXT_MAX, TelegramChannel, TelegramSettings, telegram_text
from notify.registry import CHANNEL_TYPES
from notify.text import length
from tests.channels.sample import HOSTILE, notification

TOKEN = "123456:AAHsecret-TOKEN_value"
OK = Reply(200, {"Content-Type": "application/json"}, '{"ok": true, "result": {"message_id": 7}}')


def _channel(receiver) -> TelegramChannel:
    settings = TelegramSettings(
        name="tg", type="telegram", bot_token=TOKEN, chat_id="-100123", url=receiver.url("")
    )
    return TelegramChannel(settings)


def test_telegram_is_a_channel_type():
    assert CHANNEL_TYPES["telegram"] is TelegramChannel


def test_sendmessage_in_html_mode_with_every_hostile_character_escaped(receiver):
    receiver.default = OK
    _channel(receiver).send(HOSTILE, "n-1")
    [request] = receiver.requests
    assert request.method == "POST" and request.path == f"/bot{TOKEN}/sendMessage"
    body = json.loads(request.raw)
    assert body["chat_id"] == "-100123" and body["parse_mode"] == "HTML"
    assert body["link_preview_options"] == {"is_disabled": True}
    escaped = (
        "boom in &lt;module&gt; &amp; &lt;!channel&gt; &lt;@U123&gt; @everyone "
        "&lt;script&gt;x&lt;/script&gt; **b** gnp.exe[2J\n2nd line "
    )
    assert body["text"].startswith(f"<b>CRITICAL: Reconcile Mismatch</b>\n{escaped}yyy")
    assert (
        "<b>latest_exception</b>: ValueError: &lt;!here&gt; &amp; &lt;b&gt;bold&lt;/b&gt; @here"
        in body["text"]
    )
    for raw in (b"<module>", b"<!channel>", b"<script>", b"\\u202e", b"\\u001b", b"\\u0000"):
        assert raw not in request.raw
    assert length(body["text"]) <= TEXT_MAX


def test_a_message_over_4096_characters_is_cut_with_a_note_not_refused():
    many = notification(message="m" * 2000, context={f"figure_{i}": "<&>" * 150 for i in range(40)})
    text = telegram_text(many)
    assert length(text) <= TEXT_MAX
    assert "more details cut to fit Telegram's limits" in text
    assert text.endswith("<b>Runbook</b>: Compare the bot's positions with the exchange.")


def test_429_retry_after_in_the_json_body_is_honoured(receiver):
    receiver.script(
        Reply(
            429,
            {"Content-Type": "application/json"},
            '{"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7",'
            ' "parameters": {"retry_after": 7}}',
        )
    )
    with pytest.raises(DeliveryError) as raised:
        _channel(receiver).send(notification(), "n-2")
    assert raised.value.retryable and raised.value.retry_after == 7.0
    assert TOKEN not in str(raised.value)


def test_a_refused_token_fails_for_good_without_showing_it(receiver):
    receiver.default = Reply(
        401, body='{"ok": false, "error_code": 401, "description": "Unauthorized"}'
    )
    with pytest.raises(DeliveryError) as raised:
        _channel(receiver).send(notification(), "n-3")
    assert not raised.value.retryable and TOKEN not in str(raised.value)


def test_a_chat_id_written_as_a_number_is_the_same_chat():
    entry = {"name": "tg", "type": "telegram", "bot_token": TOKEN}
    assert TelegramSettings.model_validate({**entry, "chat_id": -1001234}).chat_id == "-1001234"
    assert TelegramSettings.model_validate({**entry, "chat_id": "@ops_alerts"}).chat_id
