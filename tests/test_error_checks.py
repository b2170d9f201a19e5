"""The three error-log alerts at and around their thresholds and window edges (freezegun),
through the real source: events in SQLite -> window queries -> pure checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from checks.api_errors import ApiErrors
from checks.exceptions import Exceptions
from checks.rejections import Rejections
from core.status import Status
from errorlog import ErrorLog
from tests.helpers import add_event, evaluate, policy, settings

T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)

# check, the kind it counts, its default threshold and window, the status it fires with
BURSTS = [
    pytest.param(Rejections(), "order_rejected", 3, 600, Status.WARNING, id="rejections"),
    pytest.param(Exceptions(), "exception", 2, 300, Status.CRITICAL, id="exceptions"),
    pytest.param(ApiErrors(), "api_error", 2, 300, Status.WARNING, id="api_errors"),
]


def _at(moment, database, check, **kwargs):
    with freeze_time(moment):
        return evaluate(settings(database, **kwargs), check)


@pytest.mark.parametrize(("check", "kind", "threshold", "window", "fires"), BURSTS)
def test_fires_at_the_threshold_not_one_below(database, check, kind, threshold, window, fires):
    for second in range(threshold - 1):
        add_event(database, kind, T0 + timedelta(seconds=second))
    below = _at(T0 + timedelta(seconds=30), database, check)
    assert below.status is Status.OK
    assert below.perfdata[0].value == threshold - 1

    add_event(database, kind, T0 + timedelta(seconds=20))
    at = _at(T0 + timedelta(seconds=30), database, check)
    assert at.status is fires
    assert at.summary.startswith(f"{threshold} ")
    assert f"(threshold {threshold})" in at.summary
    assert at.context["action"] and at.runbook


@pytest.mark.parametrize(("check", "kind", "threshold", "window", "fires"), BURSTS)
def test_an_event_exactly_window_seconds_old_no_longer_counts(
    database, check, kind, threshold, window, fires
):
    for second in range(threshold):
        add_event(database, kind, T0 + timedelta(seconds=second))
    inside = T0 + timedelta(seconds=window - 0.001)
    assert _at(inside, database, check).status is fires
    edge = _at(T0 + timedelta(seconds=window), database, check)
    assert edge.status is Status.OK
    assert edge.perfdata[0].value == threshold - 1


@pytest.mark.parametrize(("check", "kind", "threshold", "window", "fires"), BURSTS)
def test_thresholds_and_windows_come_from_the_policy(
    database, check, kind, threshold, window, fires
):
    custom = policy(
        execution={"max_order_rejections": 1, "rejection_window_seconds": 60},
        monitoring={
            "max_exceptions_per_window": 1,
            "exception_window_seconds": 60,
            "api_error_threshold": 1,
            "api_error_lookback_seconds": 60,
        },
    )
    add_event(database, kind, T0)
    assert _at(T0 + timedelta(seconds=59), database, check, policy_=custom).status is fires
    assert _at(T0 + timedelta(seconds=60), database, check, policy_=custom).status is Status.OK


@pytest.mark.parametrize(("check", "kind", "threshold", "window", "fires"), BURSTS)
def test_other_accounts_and_other_kinds_do_not_count(
    database, check, kind, threshold, window, fires
):
    for _ in range(threshold):
        add_event(database, kind, T0, account="other")
        add_event(database, "order_rejected" if kind != "order_rejected" else "exception", T0)
    result = _at(T0, database, check)
    assert result.status is Status.OK
    assert result.perfdata[0].value == 0


def test_rejection_context_counts_reasons_and_symbols(database):
    add_event(database, "order_rejected", T0, symbol="BTC/USD", code="INSUFFICIENT_FUNDS")
    add_event(
        database,
        "order_rejected",
        T0 + timedelta(seconds=1),
        symbol="ETH/USD",
        code="INSUFFICIENT_FUNDS",
    )
    add_event(
        database,
        "order_rejected",
        T0 + timedelta(seconds=2),
        symbol="BTC/USD",
        message="price outside band",
    )
    result = _at(T0 + timedelta(seconds=10), database, Rejections())
    assert result.status is Status.WARNING
    assert result.title == "Order Rejection Burst"
    context = result.context
    assert context["rejection_count"] == 3
    assert context["window_seconds"] == 600
    assert context["rejection_reasons"] == {"INSUFFICIENT_FUNDS": 2, "price outside band": 1}
    assert context["affected_symbols"] == ["BTC/USD", "ETH/USD"]
    assert context["first_rejection_at"] == T0.isoformat()
    assert "INSUFFICIENT_FUNDS x2, price outside band x1" in result.summary
    assert result.status_line().endswith("| rejections=3;@3:;;0")


def test_exception_context_names_types_and_the_latest_with_its_traceback(database):
    writer = ErrorLog(database.url)
    with freeze_time(T0):
        try:
            {}["missing"]
        except KeyError as error:
            writer.exception(error)
    with freeze_time(T0 + timedelta(seconds=5)):
        try:
            1 / 0  # noqa: B018
        except ZeroDivisionError as error:
            writer.exception(error, symbol="BTC/USD")
    writer.close()
    result = _at(T0 + timedelta(seconds=6), database, Exceptions())
    assert result.status is Status.CRITICAL
    context = result.context
    assert context["exception_count"] == 2
    assert context["exception_types"] == {"KeyError": 1, "ZeroDivisionError": 1}
    assert context["latest_exception"] == "ZeroDivisionError: division by zero"
    assert "test_error_checks.py" in context["latest_traceback"][-1]
    assert result.summary.endswith("latest ZeroDivisionError: division by zero")
    assert result.status_line().endswith("| exceptions=2;;@2:;0")


def test_api_errors_count_only_since_the_last_success(database):
    add_event(database, "api_error", T0, code="500")
    add_event(database, "api_ok", T0 + timedelta(seconds=1))
    add_event(database, "api_error", T0 + timedelta(seconds=2), code="429", symbol="BTC/USD")
    after_one = _at(T0 + timedelta(seconds=3), database, ApiErrors())
    assert after_one.status is Status.OK
    assert after_one.context["consecutive_count"] == 1
    assert after_one.context["last_api_ok_at"] == (T0 + timedelta(seconds=1)).isoformat()

    add_event(
        database,
        "api_error",
        T0 + timedelta(seconds=3),
        code="429",
        message="rate limit exceeded",
    )
    burst = _at(T0 + timedelta(seconds=4), database, ApiErrors())
    assert burst.status is Status.WARNING
    context = burst.context
    assert context["consecutive_count"] == 2
    assert context["error_codes"] == {"429": 2}
    assert context["sources"] == {"bot": 2}
    assert context["by_source"] == {"bot": 2, "runner": 0}
    assert context["affected_symbols"] == ["BTC/USD"]
    assert context["latest_message"] == "rate limit exceeded"
    assert context["first_error_at"] == (T0 + timedelta(seconds=2)).isoformat()
    assert context["lookback_seconds"] == 300

    add_event(database, "api_ok", T0 + timedelta(seconds=5))
    assert _at(T0 + timedelta(seconds=6), database, ApiErrors()).status is Status.OK


def test_api_errors_at_the_same_instant_as_a_success_follow_insertion_order(database):
    add_event(database, "api_error", T0)
    add_event(database, "api_ok", T0)  # logged after the error: the run is over
    assert _at(T0, database, ApiErrors()).context["consecutive_count"] == 0
    add_event(database, "api_error", T0)  # logged after the success: a new run
    add_event(database, "api_error", T0)
    assert _at(T0, database, ApiErrors()).status is Status.WARNING


def test_a_success_older_than_the_look_back_does_not_hide_errors(database):
    add_event(database, "api_ok", T0 - timedelta(seconds=400))
    add_event(database, "api_error", T0 - timedelta(seconds=100))
    add_event(database, "api_error", T0)
    result = _at(T0, database, ApiErrors())
    assert result.status is Status.WARNING
    assert result.context["last_api_ok_at"] is None


def test_a_huge_burst_reads_a_bounded_number_of_rows_but_counts_exactly(database):
    from store.error_events import NewEvent, add_events

    events = [
        NewEvent(kind="order_rejected", ts=T0 + timedelta(milliseconds=n), code=f"C{n % 3}")
        for n in range(650)
    ]
    with database.write() as session:
        add_events(session, events)
    result = _at(T0 + timedelta(seconds=10), database, Rejections())
    assert result.context["rejection_count"] == 650
    assert result.context["details_from_newest"] == 500
    assert sum(result.context["rejection_reasons"].values()) == 500
    assert result.context["first_rejection_at"] == T0.isoformat()


def test_the_runners_own_failures_are_not_bot_exceptions(database):
    for second in range(5):
        add_event(database, "exception", T0 + timedelta(seconds=second), source="runner")
    assert _at(T0 + timedelta(seconds=10), database, Exceptions()).status is Status.OK
    add_event(database, "exception", T0 + timedelta(seconds=6))
    add_event(database, "exception", T0 + timedelta(seconds=7))
    result = _at(T0 + timedelta(seconds=10), database, Exceptions())
    assert result.status is Status.CRITICAL and result.context["exception_count"] == 2


def test_each_source_counts_since_its_own_last_success(database):
    """The runner reaching the exchange must not hide a bot that cannot, nor the reverse."""
    add_event(database, "api_error", T0, source="bot")
    add_event(database, "api_error", T0 + timedelta(seconds=1), source="runner")
    assert _at(T0 + timedelta(seconds=2), database, ApiErrors()).status is Status.OK
    add_event(database, "api_error", T0 + timedelta(seconds=2), source="bot")
    add_event(database, "api_ok", T0 + timedelta(seconds=3), source="runner")
    bot = _at(T0 + timedelta(seconds=4), database, ApiErrors())
    assert bot.status is Status.WARNING
    assert bot.context["by_source"] == {"bot": 2, "runner": 0}
    add_event(database, "api_ok", T0 + timedelta(seconds=5), source="bot")
    for second in (6, 7):
        add_event(database, "api_error", T0 + timedelta(seconds=second), source="runner")
    runner = _at(T0 + timedelta(seconds=8), database, ApiErrors())
    assert runner.status is Status.WARNING
    assert runner.context["sources"] == {"runner": 2}
