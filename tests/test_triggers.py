"""The daemon's interval trigger: jitter spreads runs but never accumulates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jobs.triggers import JitteredInterval

START = datetime(2026, 11, 27, tzinfo=UTC)


def test_runs_stay_on_the_grid_after_a_thousand_jittered_runs():
    trigger = JitteredInterval(30, START, jitter=10)
    fire = trigger.get_next_fire_time(None, START)
    for n in range(1, 1001):
        fire = trigger.get_next_fire_time(fire, fire)
        grid = START + timedelta(seconds=30 * n)
        assert grid <= fire < grid + timedelta(seconds=10)


def test_first_run_is_the_next_slot_after_now():
    trigger = JitteredInterval(60, START)
    now = START + timedelta(seconds=61)
    assert trigger.get_next_fire_time(None, now) == START + timedelta(seconds=120)


def test_the_first_run_is_at_start_and_the_second_one_interval_later():
    trigger = JitteredInterval(300, START, jitter=5)
    first = trigger.first_run()
    assert START <= first < START + timedelta(seconds=5)
    second = trigger.get_next_fire_time(first, first)
    assert START + timedelta(seconds=300) <= second < START + timedelta(seconds=305)


def test_without_jitter_runs_are_exactly_one_interval_apart():
    trigger = JitteredInterval(5, START)
    first = trigger.get_next_fire_time(None, START)
    assert trigger.get_next_fire_time(first, first) - first == timedelta(seconds=5)


@pytest.mark.parametrize(("seconds", "jitter"), [(0, 0), (10, 10), (10, -1)])
def test_bad_arguments(seconds, jitter):
    with pytest.raises(ValueError):
        JitteredInterval(seconds, START, jitter)
