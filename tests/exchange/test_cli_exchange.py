"""`python main.py check all --json` end to end, with app.yaml pointing at the emulator."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from tests.exchange.harness import SPOT_POSITIONS

EXCHANGE_CHECKS = ("daily_loss", "weekly_loss", "drawdown", "reconcile", "universe")


def _state(positions: dict[str, float]) -> dict:
    return {
        "updated_at": datetime.now(UTC).isoformat(),
        "positions": {symbol: {"quantity": qty} for symbol, qty in positions.items()},
    }


def _check_all(workspace) -> tuple[int, dict]:
    result = workspace.run("check", "all", "--json")
    return result.returncode, json.loads(result.stdout)


def _by_name(document: dict) -> dict[str, dict]:
    return {item["name"]: item for item in document["results"]}


def _runner_events(workspace) -> list[tuple[str, str]]:
    with sqlite3.connect(workspace.database) as connection:
        query = "SELECT kind, message FROM error_events WHERE source = 'runner' ORDER BY id"
        return connection.execute(query).fetchall()


def test_check_all_exercises_the_exchange_checks(workspace, emulator):
    workspace.use_exchange(emulator, "coinbase")
    workspace.write_state(_state(SPOT_POSITIONS))
    code, document = _check_all(workspace)
    results = _by_name(document)
    assert code == 0, document
    for name in EXCHANGE_CHECKS:
        assert results[name]["status"] == "OK", results[name]
    assert results["daily_loss"]["context"]["equity"] == 96_615.52
    assert results["universe"]["context"]["eligible_count"] == 16
    assert _runner_events(workspace) == [("api_ok", "3 exchange calls succeeded")]

    workspace.write_state(_state({**SPOT_POSITIONS, "BTC-USDT": 0.5}))
    code, document = _check_all(workspace)
    reconcile = _by_name(document)["reconcile"]
    assert code == 1 and reconcile["status"] == "WARNING"
    assert reconcile["title"] == "Reconcile Mismatch"
    assert reconcile["context"]["mismatches"][0]["symbol"] == "BTC/USDT"


def test_check_all_with_the_exchange_down(workspace, emulator):
    workspace.use_exchange(emulator, "binance", timeout_ms=300)
    workspace.write_state(_state(SPOT_POSITIONS))
    emulator.add_fault("http_503", exchange="binance")
    code, document = _check_all(workspace)
    assert code == 3
    results = _by_name(document)
    for name in EXCHANGE_CHECKS:
        assert results[name]["status"] == "UNKNOWN"
        assert "binance load_markets: exchange not available" in results[name]["summary"]
    assert results["kill_switch"]["status"] == "OK"
    events = _runner_events(workspace)
    assert [kind for kind, _ in events] == ["api_error"]
    assert "test-key" not in events[0][1] and "signature=" not in events[0][1]

    emulator.clear_faults()
    code, document = _check_all(workspace)
    assert code == 0, document
    assert _runner_events(workspace)[-1][0] == "api_ok"


def test_an_exchange_outage_is_one_notification_not_six(workspace, emulator):
    """API Error Burst says the exchange fails; the five "Check failing" alerts it explains
    are inhibited (and `status` says so); when the exchange is back, everything resolves and
    the inhibited alerts, never sent, resolve silently."""
    from emulator.receiver import WebhookReceiver

    with WebhookReceiver() as receiver:
        workspace.use_exchange(emulator, "binance")
        channel = f'{{name: hooks, type: webhook, url: "{receiver.url("/hook")}"}}'
        app = workspace.config / "app.yaml"
        app.write_text(app.read_text() + f"channels: [{channel}]\n")
        workspace.write_state(_state(SPOT_POSITIONS))
        emulator.add_fault("http_401", exchange="binance")
        for _ in range(4):
            workspace.run("check", "all")
        sent = [(body["alert"], body["status"]) for body in receiver.bodies("/hook")]
        assert sent == [("api_errors", "firing")], sent
        status = workspace.run("status").stdout
        inhibited = [line for line in status.splitlines() if "inhibited" in line]
        assert len(inhibited) == len(EXCHANGE_CHECKS), status
        assert all("check_failing:" in line for line in inhibited)

        emulator.clear_faults()
        workspace.run("check", "all")
        sent = [(body["alert"], body["status"]) for body in receiver.bodies("/hook")]
        assert sent == [("api_errors", "firing"), ("api_errors", "resolved")], sent
