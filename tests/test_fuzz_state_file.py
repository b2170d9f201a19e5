"""The bot's state file, fuzzed: any content gives a validated state or one `SourceError`
line naming the file, never a traceback, and never a number read from a non-number."""

from __future__ import annotations

import json
import math
from datetime import timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sources.state_file
from core import clock
from sources.errors import SourceError
from sources.state_file import read_state
from tests.fuzz import fuzz, is_number, json_values, one_line, time_values

EQUITY_FIELDS = ("equity", "day_start_equity", "week_start_equity", "peak_equity")

documents = st.fixed_dictionaries(
    {
        "positions": st.one_of(
            st.dictionaries(
                st.sampled_from(["BTC-USD", "ETH/USDT", "sol_usd", "", "???"]),
                st.one_of(
                    st.fixed_dictionaries({"quantity": json_values}),
                    st.fixed_dictionaries({"quantity": json_values, "entry_price": json_values}),
                    json_values,
                ),
                max_size=3,
            ),
            json_values,
        )
    },
    optional={
        "updated_at": time_values,
        **{name: json_values for name in EQUITY_FIELDS},
    },
)


@pytest.fixture(autouse=True)
def _no_reread_pause(monkeypatch):
    monkeypatch.setattr(sources.state_file, "_REREAD_DELAY_SECONDS", 0)


def _read(tmp_path, raw: bytes):
    path = tmp_path / "state.json"
    path.write_bytes(raw)
    try:
        return read_state(path), path
    except SourceError as error:
        assert one_line(str(error)) and str(error).startswith(str(path)), str(error)
        return None, path


@fuzz(200)
@given(document=documents)
@example(document={"positions": {}, "equity": 100, "peak_equity": True})  # read as +4900 %
@example(document={"positions": {}, "equity": 100, "week_start_equity": True})
@example(document={"positions": {}, "updated_at": "9999-01-01T00:00:00Z"})
@example(document={"positions": {}, "updated_at": 0})
@example(document={"positions": {"BTC-USD": {"quantity": float("nan")}}})
def test_any_document_is_a_valid_state_or_one_line(tmp_path, document):
    state, _ = _read(tmp_path, json.dumps(document).encode())
    if state is None:
        return
    for name in EQUITY_FIELDS:
        if name in document and document[name] is not None:
            assert is_number(document[name]), f"{name}={document[name]!r} was read as a number"
            assert math.isfinite(getattr(state, name))
    for position in state.positions.values():
        assert math.isfinite(position.quantity)
    if state.updated_at is not None:
        assert clock.EARLIEST_EVENT <= state.updated_at <= clock.utcnow() + timedelta(days=1)


@fuzz(100)
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
@example(raw=b'{"positions": {}, "equity": NaN}')
@example(raw=b'{"positions": {}, "peak_equity": 1e400}')
@example(raw=b"[" * 100_000)
def test_any_bytes_are_a_valid_state_or_one_line(tmp_path, raw):
    _read(tmp_path, raw)


def test_a_boolean_peak_is_unknown_never_ok(workspace):
    """The case found: `"peak_equity": true` was read as 1.0 and gave OK, exit 0."""
    workspace.write_policy("risk: {pnl_source: state}\n")
    workspace.write_state({"positions": {}, "equity": 50.0, "peak_equity": True})
    result = workspace.run("check", "drawdown", "--dry-run")
    assert result.returncode == 3
    assert result.stdout.startswith("UNKNOWN - Max Drawdown Breached")
    assert "peak_equity: must be a number, not a boolean" in result.stdout
