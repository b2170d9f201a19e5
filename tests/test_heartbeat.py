"""Heartbeat staleness at the boundary, driven by freezegun through the real file source."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from checks.heartbeat import Heartbeat
from core import clock
from core.inputs import InputName, Inputs
from core.status import Status
from sources.state_file import read_state
from tests.helpers import policy

CHECK = Heartbeat()
T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


def _evaluate(state_path, now, max_age=300):
    inputs = Inputs()
    try:
        inputs.values[InputName.BOT_STATE] = read_state(state_path)
    except Exception as error:  # noqa: BLE001
        inputs.errors[InputName.BOT_STATE] = str(error)
    return CHECK.run(inputs, policy(monitoring={"heartbeat_max_age_seconds": max_age}), now)


def test_fresh_exactly_at_the_limit_and_stale_just_after(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"updated_at": "2026-11-27T14:00:00Z", "positions": {}}')
    with freeze_time(T0 + timedelta(seconds=300)):
        assert _evaluate(state, clock.now()).status is Status.OK
    with freeze_time(T0 + timedelta(seconds=300, milliseconds=1)):
        result = _evaluate(state, clock.now())
    assert result.status is Status.CRITICAL
    assert result.context["age_seconds"] == 300.0
    assert "limit 5m00s" in result.summary
    # 300.001 s is over the limit: the perfdata must say so too (rounded up, not to 300)
    assert result.perfdata[0].render() == "age=300.1s;;300;0"


def test_file_mtime_is_used_without_updated_at(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"positions": {}}')
    stamp = T0.timestamp()
    os.utime(state, (stamp, stamp))
    with freeze_time(T0 + timedelta(seconds=299)):
        result = _evaluate(state, clock.now())
        assert result.status is Status.OK
        assert result.context["source"] == "file mtime"
    with freeze_time(T0 + timedelta(minutes=10)):
        assert _evaluate(state, clock.now()).status is Status.CRITICAL


def test_updated_at_wins_over_a_fresh_mtime(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"updated_at": "2026-11-27T13:00:00Z", "positions": {}}')
    with freeze_time(T0):
        result = _evaluate(state, clock.now())
    assert result.status is Status.CRITICAL
    assert "no state update for 1h00m" in result.summary


def test_local_time_zone_in_updated_at(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"updated_at": "2026-11-27T09:00:00-05:00", "positions": {}}')
    with freeze_time(T0 + timedelta(seconds=10)):
        assert _evaluate(state, clock.now()).context["age_seconds"] == 10.0


def test_missing_state_file_is_unknown_not_ok(tmp_path):
    result = _evaluate(tmp_path / "absent.json", T0)
    assert result.status is Status.UNKNOWN
    assert "absent.json: state file not found" in result.summary


def test_half_written_state_file_is_unknown(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"updated_at": "2026-11-27T14:00:00Z", "positions": {"BTC-USD": {"quan')
    result = _evaluate(state, T0)
    assert result.status is Status.UNKNOWN
    assert "not valid JSON" in result.summary and "state.json" in result.summary


def test_clock_far_in_the_future_is_unknown(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"updated_at": "2026-11-27T16:00:00Z", "positions": {}}')
    result = _evaluate(state, T0)
    assert result.status is Status.UNKNOWN
    assert "in the future" in result.summary
