"""Every fault of the exchange, through the real ccxt client, gives UNKNOWN (never OK, never
a false alarm), is logged in the error log as `source: runner` without secrets, and the next
healthy cycle recovers."""

from __future__ import annotations

import pytest

from core.status import Status
from tests.exchange.harness import EXCHANGE_CHECKS, Watch

TIMEOUT_MS = 1000  # generous: a 2-core machine shared with other work stalls for a while
FAULTS = {
    # fault kind -> (emulator options, what the UNKNOWN reason says)
    "html_200": ({}, "malformed"),
    "malformed_json_200": ({}, "malformed"),
    "http_401": ({}, "API key rejected"),
    "http_429": ({"retry_after": 5}, "rate limited (Retry-After: 5 s)"),
    "http_503": ({}, "exchange not available"),
    "slow": ({"delay": 2.0}, f"no answer within the timeout ({TIMEOUT_MS} ms)"),
    "empty_markets": ({}, "the market list is empty"),
}
CASES = [
    (kind, exchange_id, warm)
    for kind in FAULTS
    for exchange_id in ("binance", "coinbase")
    for warm in (False, True)
    if not (warm and kind == "empty_markets")  # warm markets are not fetched again
]
SECRETS = ("test-key", "test-secret")


def _assert_unknown(results, reason):
    for name, result in results.items():
        assert result.status is Status.UNKNOWN, f"{name}: {result.status_line()}"
        assert reason in result.summary, f"{name}: {result.summary}"


def _assert_all_ok(results):
    assert {name: r.status for name, r in results.items()} == {
        check.name: Status.OK for check in EXCHANGE_CHECKS
    }


@pytest.mark.parametrize(
    ("kind", "exchange_id", "warm"),
    CASES,
    ids=[f"{k}-{e}-{'warm' if w else 'cold'}" for k, e, w in CASES],
)
def test_fault_is_unknown_logged_and_recovers(tmp_path, emulator, kind, exchange_id, warm):
    options, reason = FAULTS[kind]
    watch = Watch(tmp_path, emulator, exchange_id, timeout_ms=TIMEOUT_MS)
    if warm:
        _assert_all_ok(watch.cycle())  # markets cached; the fault hits balance and tickers
    emulator.add_fault(kind, exchange=exchange_id, **options)

    _assert_unknown(watch.cycle(), reason)
    failures = [e for e in watch.events() if e.kind == "api_error"]
    assert failures, "the failed call was not logged"
    for event in failures:
        assert event.source == "runner" and event.account == "acct"
        assert reason in event.message and event.message.startswith(f"{exchange_id} ")
        assert event.context["exchange"] == exchange_id and event.code
        assert not any(secret in event.message for secret in SECRETS)
    snapshots = len(watch.snapshots())

    emulator.clear_faults()
    _assert_all_ok(watch.cycle())
    assert watch.events()[-1].kind == "api_ok"
    assert len(watch.snapshots()) == snapshots + 1  # nothing recorded from the failed cycle


def test_binance_401_after_a_successful_call_is_a_rejected_key_not_a_ban(tmp_path, emulator):
    """ccxt raises DDoSProtection for -2015 once a private call has succeeded."""
    watch = Watch(tmp_path, emulator, "binance")
    watch.cycle()
    emulator.add_fault("http_401", exchange="binance", times=1)
    result = watch.cycle()["reconcile"]
    assert "API key rejected" in result.summary
    event = next(e for e in watch.events() if e.kind == "api_error")
    assert event.code == "DDoSProtection" and event.context["http_status"] == 401


def test_one_failed_call_fails_only_the_checks_that_need_it(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "binanceusdm")
    emulator.add_fault("http_429", exchange="binanceusdm", path_contains="positionRisk")
    results = watch.cycle()
    assert results["reconcile"].status is Status.UNKNOWN
    assert "binanceusdm fetch_positions: rate limited" in results["reconcile"].summary
    for name in ("daily_loss", "weekly_loss", "drawdown", "universe"):
        assert results[name].status is Status.OK
    assert [e.kind for e in watch.events()] == ["api_error"]  # no api_ok for this cycle


def test_an_exchange_that_does_not_answer_is_asked_once_per_cycle(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "binance")
    watch.cycle()
    emulator.reset_counts()
    emulator.add_fault("http_429", exchange="binance", retry_after=30)
    results = watch.cycle()
    assert emulator.request_counts() == {"binance GET api.binance.com/api/v3/account": 1}
    assert [e.kind for e in watch.events()] == ["api_ok", "api_error"]
    for result in results.values():  # the tickers were not asked for: same reason
        assert "binance fetch_balance: rate limited (Retry-After: 30 s)" in result.summary


def test_dry_run_logs_and_records_nothing(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "coinbase")
    emulator.add_fault("http_503", exchange="coinbase")
    _assert_unknown(watch.cycle(dry_run=True), "exchange not available")
    emulator.clear_faults()
    _assert_all_ok(watch.cycle(dry_run=True))
    assert watch.events() == [] and watch.snapshots() == []


def test_an_unknown_exchange_id_is_unknown_and_not_an_api_error(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "binance")
    settings = watch.runtime.settings
    exchange = settings.app.exchange.model_copy(update={"id": "binanc"})
    app = settings.app.model_copy(update={"exchange": exchange})
    watch.runtime.settings = type(settings)(
        settings.config_dir, app, settings.policy, settings.schema, frozenset()
    )
    _assert_unknown(watch.cycle(), "exchange.id: ccxt has no exchange 'binanc'")
    assert watch.events() == []
