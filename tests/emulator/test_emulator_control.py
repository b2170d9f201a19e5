"""Control API over HTTP (``EmulatorControl``), the CLI, and server lifecycle."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import ccxt
import pytest
import requests
from emulator_testlib import SYMBOL

from emulator import EmulatorControl, ExchangeEmulator, ccxt_config_for


@pytest.fixture
def control(emulator):
    client = EmulatorControl(emulator.base_url)
    yield client
    client.close()


def test_health_and_state_roundtrip(control, emulator):
    assert control.health() == {"ok": True, "base_url": emulator.base_url}
    state = control.state()
    assert state["tickers"]["BTC/USDT"]["last"] == 97_000.0
    assert state["markets"]["LUNA/USDT"] == {
        "symbol": "LUNA/USDT",
        "active": False,
        "exchanges": ["binance"],
    }


def test_patch_state_is_seen_by_ccxt(control, make_exchange):
    exchange = make_exchange("coinbase")
    control.patch_state(
        tickers={"BTC/USD": {"last": 61_000.0, "quote_volume": 5.0e6}},
        balances={"BTC": {"free": 1.25, "used": 0.0}, "SOL": None},
        markets={"ADA/USD": {"active": True}},
    )
    assert exchange.fetch_ticker("BTC/USD")["last"] == 61_000.0
    balance = exchange.fetch_balance()
    assert balance["BTC"]["total"] == 1.25 and "SOL" not in balance
    assert "ADA/USD" in exchange.load_markets(reload=True)


def test_replace_state_sections(control, make_exchange):
    control.replace_state(
        positions={"BTC/USDT:USDT": {"side": "short", "contracts": 2, "entry_price": 99_000}}
    )
    (position,) = make_exchange("binanceusdm").fetch_positions()
    assert (position["side"], position["contracts"]) == ("short", 2.0)


def test_faults_counts_and_clear_from_another_client(control, make_exchange):
    exchange = make_exchange("binance")
    exchange.load_markets()
    control.reset_counts()
    fault = control.add_fault("http_429", exchange="binance", times=3, retry_after=2)
    assert fault["id"] >= 1 and control.faults()[0]["times"] == 3
    with pytest.raises(ccxt.DDoSProtection):
        exchange.fetch_tickers()
    assert control.clear_faults("coinbase") == 0
    assert control.clear_faults() == 1
    exchange.fetch_tickers()
    counts = control.counts("binance")
    assert counts["total"] == 2 == control.requests_total()
    assert counts["by_path"] == {"binance GET api.binance.com/api/v3/ticker/24hr": 2}
    log = control.request_log()
    assert [entry["status"] for entry in log] == [429, 200]
    assert log[0]["fault"] == "http_429"


def test_reset_restores_defaults(control, emulator):
    control.patch_state(tickers={"BTC/USDT": None})
    control.add_fault("http_503")
    requests.get(f"{emulator.base_url}/api.binance.com/api/v3/time", timeout=2)
    control.reset()
    assert "BTC/USDT" in control.state()["tickers"]
    assert control.faults() == [] and control.requests_total() == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.add_fault("http_418"), "unknown fault kind"),
        (lambda c: c.add_fault("http_503", bogus=1), "unknown fault field"),
        (lambda c: c.patch_state(tickers={"BTC/USDT": {"price": 1}}), "unknown Ticker field"),
        (lambda c: c.patch_state(wallets={}), "unknown state section"),
        (lambda c: c.patch_state(markets={"BTCUSDT": {}}), "BASE/QUOTE"),
    ],
)
def test_bad_control_input_is_400(control, call, message):
    with pytest.raises(requests.HTTPError, match=message) as raised:
        call(control)
    assert raised.value.response.status_code == 400


def test_unknown_routes_are_404(emulator):
    base = emulator.base_url
    assert requests.get(f"{base}/_emulator/nope", timeout=2).status_code == 404
    assert requests.get(f"{base}/api.kraken.com/0/public/Time", timeout=2).status_code == 404
    unserved = requests.get(f"{base}/api.binance.com/api/v3/order", timeout=2)
    assert unserved.status_code == 404  # no order endpoints, by design
    assert [r.status for r in emulator.request_log()] == [404]  # kraken host is not logged


def test_lifecycle_and_context_manager():
    emu = ExchangeEmulator()
    with pytest.raises(RuntimeError):
        _ = emu.port
    emu.start()
    try:
        assert emu.base_url == f"http://127.0.0.1:{emu.port}"
        exchange = ccxt.binance(ccxt_config_for("binance", emu.base_url))
        assert exchange.fetch_ticker(SYMBOL["binance"])["last"] == 97_000.0
    finally:
        emu.stop()
    emu.stop()  # idempotent
    with ExchangeEmulator(ExchangeEmulator.default_state()) as again:
        assert requests.get(f"{again.base_url}/_emulator/health", timeout=2).ok


def test_stop_wakes_handlers_stuck_in_slow_fault():
    before = set(threading.enumerate())
    with ExchangeEmulator() as emu:
        emu.add_fault("slow", delay=30)
        with pytest.raises(requests.Timeout):
            requests.get(f"{emu.base_url}/api.binance.com/api/v3/time", timeout=0.2)
        started = set(threading.enumerate()) - before
        sleeping = [thread for thread in started if "process_request_thread" in thread.name]
        assert sleeping  # the handler asked to sleep 30 s
    # stopping woke it: its thread ends at once
    for handler in sleeping:
        handler.join(2)
    assert not [handler for handler in sleeping if handler.is_alive()]


@pytest.mark.slow
def test_cli_serves_until_terminated():
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--exchange", "binance"],
        cwd=str(Path(__file__).resolve().parents[2]),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        base_url = first_line.rsplit(" ", 1)[-1].strip()
        assert base_url.startswith("http://127.0.0.1:")
        control = EmulatorControl(base_url)
        assert control.health()["ok"] is True
        control.add_fault("http_503", exchange="binance")
        exchange = ccxt.binance(ccxt_config_for("binance", base_url))
        with pytest.raises(ccxt.ExchangeNotAvailable):
            exchange.load_markets()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert '"fetchMarkets"' in output and "stopped" in output


def test_handler_errors_become_500(emulator):
    response = requests.get(
        f"{emulator.base_url}/api.coinbase.com/api/v3/brokerage/accounts?limit=abc",
        headers={"CB-ACCESS-KEY": "k"},
        timeout=2,
    )
    assert response.status_code == 500 and "emulator error" in response.text
