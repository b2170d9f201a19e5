"""A paper-trading integration test, from outside: the daemon as a subprocess against
the exchange emulator (real ccxt) and a real webhook receiver; every alert of the matrix
forced and seen delivered; with the exchange hanging, the other alerts still on time."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from checks.registry import CHECKS
from emulator.receiver import WebhookReceiver
from tests.conftest import free_port, wait_healthy

pytestmark = pytest.mark.slow

POSITIONS = {"BTC-USDT": 0.6, "ETH-USDT": 4.0, "SOL-USD": 30.0}  # what the emulator holds


def _start(workspace, emulator, receiver, timeout_ms: int = 5000):
    port = free_port()
    # markets every cycle: `universe` must see a halt at once (the default keeps them 1 h)
    workspace.use_exchange(emulator, "binance", {"markets_ttl_seconds": 0}, timeout_ms=timeout_ms)
    workspace.write_app(
        workspace.config.joinpath("app.yaml").read_text()
        + f"""
schedule: {{default: 1, delivery: 1, ingest: 1}}
server: {{port: {port}}}
monitoring:
  alert_service: {{dedupe_seconds: 60, escalation_seconds: 600}}
channels:
  - {{name: hooks, type: webhook, url: "{receiver.url("/hook")}", timeout_seconds: 2}}
"""
    )
    workspace.write_policy("monitoring: {heartbeat_max_age_seconds: 30}\n")
    _write_state(workspace, POSITIONS)
    daemon = workspace.spawn("run")
    wait_healthy(port)
    return daemon


def _write_state(workspace, positions, updated_at: datetime | None = None) -> None:
    stamp = (updated_at or datetime.now(UTC)).isoformat()
    document = {symbol: {"quantity": quantity} for symbol, quantity in positions.items()}
    workspace.write_state({"updated_at": stamp, "positions": document})


def _log(workspace, *events: dict) -> None:
    with (workspace.data / "errors.jsonl").open("a") as handle:
        for event in events:
            line = {"ts": datetime.now(UTC).isoformat(), **event}
            handle.write(json.dumps(line) + "\n")


def _firing(receiver) -> set[str]:
    return {body["alert"] for body in receiver.bodies("/hook") if body["status"] == "firing"}


def _wait_for_alerts(receiver, wanted: set[str], timeout: float) -> set[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not wanted <= _firing(receiver):
        time.sleep(0.2)
    return _firing(receiver)


def test_every_alert_of_the_matrix_is_delivered(workspace, emulator):
    with WebhookReceiver() as receiver:
        daemon = _start(workspace, emulator, receiver)
        try:
            time.sleep(3)  # a few healthy cycles: equity baselines, no alert
            assert _firing(receiver) == set(), receiver.bodies("/hook")

            workspace.kill_switch.write_text("PAPER drill")
            for symbol, ticker in emulator.state.snapshot().tickers.items():  # -20 %
                emulator.state.set_ticker(symbol, ticker.last * 0.8, ticker.quote_volume)
            for symbol in emulator.state.snapshot().markets:
                if symbol != "BTC/USDT":
                    emulator.state.set_market(symbol, active=False)
            _log(
                workspace,
                *[{"kind": "api_error", "code": "503", "symbol": "BTC-USDT"}] * 2,
                *[{"kind": "order_rejected", "code": "INSUFFICIENT_FUNDS"}] * 3,
                *[{"kind": "exception", "code": "KeyError", "message": "'bid'"}] * 2,
            )
            stale = datetime.now(UTC) - timedelta(hours=1)
            _write_state(workspace, {**POSITIONS, "BTC-USDT": 0.5}, updated_at=stale)

            seen = _wait_for_alerts(receiver, set(CHECKS), timeout=45)
            assert seen == set(CHECKS), workspace.daemon_log[-3000:]
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log[-3000:]


def test_with_the_exchange_hanging_the_other_alerts_arrive_on_time(workspace, emulator):
    with WebhookReceiver() as receiver:
        daemon = _start(workspace, emulator, receiver, timeout_ms=3000)
        try:
            time.sleep(2)
            emulator.add_fault("slow", exchange="binance", delay=10)  # past ccxt's timeout
            time.sleep(2)  # the exchange jobs are now stuck in their calls
            started = time.monotonic()
            workspace.kill_switch.write_text("halt while the exchange hangs")
            _log(workspace, *[{"kind": "exception", "code": "KeyError"}] * 2)
            seen = _wait_for_alerts(receiver, {"kill_switch", "exceptions"}, timeout=10)
            assert {"kill_switch", "exceptions"} <= seen
            arrived = {
                r.body["alert"]: r.at - started
                for r in receiver.requests
                if r.body["alert"] in ("kill_switch", "exceptions")
            }
            assert arrived["kill_switch"] < 4.0, arrived  # kill_switch runs every second
            assert arrived["exceptions"] < 4.0, arrived
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log[-3000:]
