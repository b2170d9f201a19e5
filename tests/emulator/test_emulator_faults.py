"""Each fault produces the documented ccxt outcome, and clearing it recovers."""

from __future__ import annotations

import time

import ccxt
import pytest
import requests
from emulator_testlib import EXCHANGES, SYMBOL

from emulator import Fault

ERROR_TABLE = {
    # (fault kind, exchange id) -> exception ccxt raises on fetch_balance / fetch_tickers
    ("http_401", "binance"): ccxt.AuthenticationError,
    ("http_401", "binanceusdm"): ccxt.AuthenticationError,
    ("http_401", "coinbase"): ccxt.AuthenticationError,
    ("http_429", "binance"): ccxt.DDoSProtection,
    ("http_429", "binanceusdm"): ccxt.DDoSProtection,
    ("http_429", "coinbase"): ccxt.RateLimitExceeded,
    ("http_503", "binance"): ccxt.ExchangeNotAvailable,
    ("http_503", "binanceusdm"): ccxt.ExchangeNotAvailable,
    ("http_503", "coinbase"): ccxt.ExchangeNotAvailable,
    ("slow", "binance"): ccxt.RequestTimeout,
    ("slow", "binanceusdm"): ccxt.RequestTimeout,
    ("slow", "coinbase"): ccxt.RequestTimeout,
}


@pytest.mark.parametrize(("kind", "exchange_id"), sorted(ERROR_TABLE))
@pytest.mark.parametrize("method", ["fetch_balance", "fetch_tickers"])
def test_fault_raises_documented_exception_then_recovers(
    emulator, make_exchange, kind, exchange_id, method
):
    exchange = make_exchange(exchange_id, timeout_ms=300)
    exchange.load_markets()
    options = {"delay": 0.6} if kind == "slow" else {}
    emulator.add_fault(kind, exchange=exchange_id, **options)
    with pytest.raises(ERROR_TABLE[kind, exchange_id]):
        getattr(exchange, method)()
    emulator.clear_faults(exchange_id)
    assert getattr(exchange, method)()


@pytest.mark.parametrize("kind", ["http_401", "http_429", "http_503"])
def test_fault_raises_on_positions(emulator, make_exchange, kind):
    exchange = make_exchange("binanceusdm")
    exchange.load_markets()
    emulator.add_fault(kind, path_contains="positionRisk")
    with pytest.raises(ERROR_TABLE[kind, "binanceusdm"]):
        exchange.fetch_positions()
    emulator.clear_faults()
    assert len(exchange.fetch_positions()) == 2


def test_binance_401_after_successful_auth_is_ddos_protection(emulator, make_exchange):
    """ccxt reads -2015 as a temporary ban once a private /api/v3 call has succeeded."""
    exchange = make_exchange("binance")
    exchange.fetch_balance()
    emulator.add_fault("http_401", exchange="binance", times=1)
    with pytest.raises(ccxt.DDoSProtection):
        exchange.fetch_balance()
    assert not issubclass(ccxt.DDoSProtection, ccxt.AuthenticationError)


@pytest.mark.parametrize("kind", ["html_200", "malformed_json_200"])
@pytest.mark.parametrize("exchange_id", EXCHANGES)
def test_non_json_200_is_swallowed(emulator, make_exchange, kind, exchange_id):
    """No ccxt exception: balances come back empty, tickers all-None (see README)."""
    exchange = make_exchange(exchange_id)
    exchange.load_markets()
    emulator.add_fault(kind, exchange=exchange_id)
    balance = exchange.fetch_balance()
    assert (balance["free"], balance["used"], balance["total"]) == ({}, {}, {})
    assert isinstance(balance["info"], str)
    ticker = exchange.fetch_ticker(SYMBOL[exchange_id])
    assert ticker["symbol"] == SYMBOL[exchange_id] and ticker["last"] is None
    if exchange_id == "coinbase":
        assert exchange.fetch_tickers() == {}
    else:  # binance iterates the body as if it were a list of dicts
        with pytest.raises(AttributeError):
            exchange.fetch_tickers()
    if exchange_id == "binanceusdm":
        assert exchange.fetch_positions() == []  # a watchdog would see "flat"
    emulator.clear_faults()
    assert exchange.fetch_balance()["total"]


@pytest.mark.parametrize("exchange_id", EXCHANGES)
def test_non_json_200_during_load_markets(emulator, make_exchange, exchange_id):
    emulator.add_fault("html_200", exchange=exchange_id)
    exchange = make_exchange(exchange_id)
    if exchange_id == "coinbase":
        assert exchange.load_markets() == {}
    else:  # the first call (sapi capital/config/getall) is parsed as a list of dicts
        with pytest.raises(AttributeError):
            exchange.load_markets()


def test_html_only_on_exchange_info_gives_empty_markets(emulator, make_exchange):
    emulator.add_fault("html_200", path_contains="/exchangeInfo")
    assert make_exchange("binance").load_markets() == {}


@pytest.mark.parametrize("exchange_id", EXCHANGES)
def test_empty_markets(emulator, make_exchange, exchange_id):
    emulator.add_fault("empty_markets", exchange=exchange_id, times=1)
    assert make_exchange(exchange_id).load_markets() == {}
    assert emulator.faults.active() == []  # used up by the market-list request only
    assert len(make_exchange(exchange_id).load_markets()) >= 2


def test_times_limits_fault_to_next_n_requests(emulator, make_exchange):
    exchange = make_exchange("binance")
    exchange.load_markets()
    emulator.add_fault("http_503", times=2)
    for _ in range(2):
        with pytest.raises(ccxt.ExchangeNotAvailable):
            exchange.fetch_balance()
    assert exchange.fetch_balance()["USDT"]["total"] == 15_000
    faulted = [r.fault for r in emulator.request_log()[-3:]]
    assert faulted == ["http_503", "http_503", None]


def test_path_and_exchange_scoping(emulator, make_exchange):
    binance, coinbase = make_exchange("binance"), make_exchange("coinbase")
    binance.load_markets()
    coinbase.load_markets()
    emulator.add_fault("http_503", exchange="binance", path_contains="/api/v3/account")
    binance.fetch_tickers()  # other path: fine
    coinbase.fetch_balance()  # other exchange: fine
    with pytest.raises(ccxt.ExchangeNotAvailable):
        binance.fetch_balance()


def test_slow_fault_without_timeout_answers_late(emulator, make_exchange):
    exchange = make_exchange("coinbase", timeout_ms=2000)
    exchange.load_markets()
    emulator.add_fault("slow", delay=0.3, times=1)
    started = time.monotonic()
    assert exchange.fetch_tickers()
    assert time.monotonic() - started >= 0.3


def test_retry_after_header_and_wire_bodies(emulator):
    emulator.add_fault("http_429", retry_after=7)
    base = emulator.base_url
    binance = requests.get(f"{base}/binance/api.binance.com/api/v3/ticker/24hr", timeout=2)
    assert binance.status_code == 429 and binance.headers["Retry-After"] == "7"
    assert binance.json()["code"] == -1003
    v2 = requests.get(f"{base}/coinbase/api.coinbase.com/v2/currencies", timeout=2)
    assert v2.json() == {"errors": [{"id": "rate_limit_exceeded", "message": "Too many requests"}]}


def test_status_and_body_overrides(emulator, make_exchange):
    exchange = make_exchange("binance")
    exchange.load_markets()
    emulator.add_fault(
        "http_503",
        status=503,
        body='{"code":-1008,"msg":"Server is currently overloaded with other requests."}',
    )
    with pytest.raises(ccxt.OperationFailed) as raised:
        exchange.fetch_balance()
    assert not isinstance(raised.value, ccxt.ExchangeNotAvailable)


def test_missing_api_key_gets_exchange_specific_401(emulator):
    base = emulator.base_url
    binance = requests.get(f"{base}/api.binance.com/api/v3/account", timeout=2)
    assert (binance.status_code, binance.json()["code"]) == (401, -2014)
    v2 = requests.get(f"{base}/api.coinbase.com/v2/accounts", timeout=2)
    assert v2.status_code == 401 and v2.json()["errors"][0]["id"] == "authentication_error"
    v3 = requests.get(f"{base}/api.coinbase.com/api/v3/brokerage/accounts", timeout=2)
    assert (v3.status_code, v3.text.strip()) == (401, "Unauthorized")
    public = requests.get(f"{base}/api.binance.com/api/v3/exchangeInfo", timeout=2)
    assert public.status_code == 200
    assert {r.status for r in emulator.request_log()} == {401, 200}


@pytest.mark.parametrize("exchange_id", EXCHANGES)
def test_unknown_api_key_is_rejected(emulator, make_exchange, exchange_id):
    emulator.state.patch({"api_keys": ["the-real-key"]})
    with pytest.raises(ccxt.AuthenticationError):
        make_exchange(exchange_id, api_key="stolen-key").load_markets()
    assert make_exchange(exchange_id, api_key="the-real-key").load_markets()


def test_fault_validation():
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault(kind="http_418")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="delay"):
        Fault(kind="slow")
    with pytest.raises(ValueError, match="times"):
        Fault(kind="http_503", times=0)


@pytest.mark.parametrize("exchange_id", EXCHANGES)
def test_empty_market_list_sticks_until_load_markets(emulator, make_exchange, exchange_id):
    """Methods only auto-load when ``markets is None``; ``{}`` is kept, so they fail."""
    exchange = make_exchange(exchange_id)
    emulator.add_fault("empty_markets", times=1)
    assert exchange.load_markets() == {}
    with pytest.raises(ccxt.BadSymbol):
        exchange.fetch_ticker(SYMBOL[exchange_id])
    assert SYMBOL[exchange_id] in exchange.load_markets()  # an empty cache is refetched


def test_coinbase_swallows_future_products_errors(emulator, make_exchange):
    emulator.add_fault("http_503", path_contains="product_type=FUTURE")
    assert "BTC/USD" in make_exchange("coinbase").load_markets()
    assert [r.status for r in emulator.request_log() if r.fault] == [503]


def test_binance_extra_calls_can_be_disabled(emulator, make_exchange):
    options = {"fetchCurrencies": False, "fetchMargins": False}
    make_exchange("binance", options=options).load_markets()
    assert emulator.request_counts() == {"binance GET api.binance.com/api/v3/exchangeInfo": 1}
