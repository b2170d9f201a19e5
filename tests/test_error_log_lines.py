"""The JSON-line format of the bot's error log: what is accepted, and the reason a bad line
is reported with."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from errorlog.parse import BadEvent, parse_line

T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "ts",
    [
        "2026-11-27T14:00:00Z",
        "2026-11-27T14:00:00+00:00",
        "2026-11-27T09:00:00-05:00",
        "2026-11-27 14:00:00",  # no zone: UTC
        T0.timestamp(),
        int(T0.timestamp()),
        str(int(T0.timestamp())),
    ],
)
def test_time_stamps_accepted(ts):
    raw = f'{{"ts": {ts!r}, "kind": "api_ok"}}'.replace("'", '"').encode()
    assert parse_line(raw, "default").ts == T0


def test_every_field():
    raw = (
        b'{"ts": "2026-11-27T14:00:00Z", "kind": "order_rejected", "source": "runner",'
        b' "account": "sub", "symbol": "BTC/USD", "code": 10001, "message": "too small",'
        b' "context": {"qty": 0.0001}, "level": "ERROR"}'
    )
    event = parse_line(raw, "default")
    assert (event.kind, event.source, event.account, event.symbol, event.code) == (
        "order_rejected",
        "runner",
        "sub",
        "BTC/USD",
        "10001",
    )
    assert (event.message, event.context) == ("too small", {"qty": 0.0001})


def test_blank_lines_are_not_events_and_not_errors():
    assert parse_line(b"  \r", "default") is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2]", "must be a JSON object, not an array"),
        (b'{"kind": "api_ok"}', "ts: missing"),
        (b'{"ts": "2026-11-27T14:00:00Z"}', "kind: missing"),
        (b'{"ts": "2026-11-27T14:00:00Z", "kind": "panic"}', "kind 'panic' is not one of"),
        (b'{"ts": "yesterday", "kind": "api_ok"}', "ts: 'yesterday' is not ISO 8601"),
        (b'{"ts": true, "kind": "api_ok"}', "ts: must be ISO 8601 text or epoch seconds"),
        (b'{"ts": 1e30, "kind": "api_ok"}', "not a valid epoch time"),
        (b'{"ts": 1, "kind": "api_ok", "source": "exchange"}', "source 'exchange' is not"),
        (b'{"ts": 1, "kind": "api_ok", "symbol": 5}', "symbol: must be text, not a number"),
        (b'{"ts": 1, "kind": "api_ok", "code": true}', "code: must be text, not a boolean"),
        (b'{"ts": 1, "kind": "api_ok", "context": "x"}', "context: must be a JSON object"),
        (b'{"ts": 1, "kind": ["api_ok"]}', "kind: must be text, not an array"),
        (b'{"ts": 1, "kind": "api_ok", "account": "' + b"a" * 101 + b'"}', "account must be"),
    ],
)
def test_bad_lines_say_what_is_wrong(raw, reason):
    with pytest.raises(BadEvent) as caught:
        parse_line(raw, "default")
    assert reason in str(caught.value)
