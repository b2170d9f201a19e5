"""The error log's ways in, fuzzed: a JSON line and `log-event` give a stored event or one
clear line (exit 3, nothing recorded), never a traceback; an event the checks would count
always has a time in the sane window and JSON made of finite numbers."""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cli.app import main
from core import clock
from core.error_kinds import KINDS
from errorlog.parse import BadEvent, parse_line
from store.db import Database
from store.error_events import NewEvent
from store.migrate import ensure_schema
from tests.fuzz import fuzz, json_values, one_line, time_values

fields = st.fixed_dictionaries(
    {"ts": time_values, "kind": st.one_of(st.sampled_from(KINDS), json_values)},
    optional={
        "source": st.one_of(st.sampled_from(["bot", "runner"]), json_values),
        "account": st.one_of(st.just("main"), json_values),
        "symbol": json_values,
        "code": json_values,
        "message": st.one_of(st.text(max_size=30), json_values),
        "context": st.one_of(st.dictionaries(st.text(max_size=5), json_values), json_values),
    },
)


def _finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(item) for item in value.values())
    if isinstance(value, list):
        return all(_finite(item) for item in value)
    return True


def _sane(event: NewEvent) -> None:
    assert clock.EARLIEST_EVENT <= event.ts <= clock.utcnow() + timedelta(days=1)
    assert event.kind in KINDS
    assert _finite(event.context)


def _line(raw: bytes) -> NewEvent | None:
    try:
        event = parse_line(raw, "default")
    except BadEvent as problem:
        assert one_line(str(problem)), str(problem)
        return None
    if event is not None:
        _sane(event)
    return event


@fuzz(200)
@given(document=fields)
@example(document={"ts": "1969-07-20T20:17:40Z", "kind": "exception"})
@example(document={"ts": "9999-12-31T00:00:00Z", "kind": "exception"})
@example(document={"ts": True, "kind": "api_error"})
@example(document={"ts": 1.7e9, "kind": "api_error", "context": {"qty": float("nan")}})
def test_any_json_line_is_an_event_or_one_line(document):
    event = _line(json.dumps(document).encode())
    if event is not None:
        assert not isinstance(document["ts"], bool)


@fuzz(100)
@given(raw=st.one_of(st.binary(max_size=120), st.text(max_size=120).map(str.encode)))
@example(raw=b'{"ts": 1.7e9, "kind": "api_error", "context": {"x": Infinity}}')
@example(raw=b'{"ts": 1.7e9, "kind": "api_error", "message": "a\\u0000b"}')
@example(raw=b'{"ts": 1.7e9, "kind": "api_error", "message": "\\ud800"}')
def test_any_bytes_are_an_event_or_one_line(raw):
    _line(raw)


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("log_event")
    url = f"sqlite:///{folder / 'alerts.db'}"
    (folder / "app.yaml").write_text(f"database_url: {url}\n")
    database = Database(url)
    ensure_schema(database)  # migrated once, not inside the first example
    database.close()
    return folder


def _count(config_dir) -> int:
    path = config_dir / "alerts.db"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM error_events").fetchone()[0]


arguments = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\0"), max_size=20
)


@fuzz(60)
@given(
    kind=st.one_of(st.sampled_from(KINDS), arguments),
    context=st.one_of(st.none(), json_values.map(json.dumps), arguments),
    ts=st.one_of(st.none(), time_values.map(str), arguments),
)
@example(kind="api_error", context='{"qty": NaN}', ts=None)
@example(kind="api_error", context='{"qty": Infinity}', ts=None)
@example(kind="exception", context=None, ts="1969-07-20T20:17:40Z")
@example(kind="exception", context=None, ts="9999-12-31T00:00:00")
@example(kind="-:", context=None, ts=None)  # argparse reads it as an option: usage, exit 3
def test_log_event_records_one_event_or_says_why_in_one_line(config_dir, capsys, kind, context, ts):
    argv = ["log-event", kind, "--config", str(config_dir)]
    argv += [] if context is None else [f"--context={context}"]
    argv += [] if ts is None else [f"--ts={ts}"]
    before = _count(config_dir)
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    if code == 0:
        assert _count(config_dir) == before + 1
    else:
        assert code == 3 and _count(config_dir) == before
        lines = err.strip().splitlines()
        assert one_line(lines[-1])
        # one line, or argparse's usage then its one line (a KIND that looks like an option)
        assert len(lines) == 1 or lines[0].startswith("usage:"), err
