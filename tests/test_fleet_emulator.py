"""A fleet of 20 bots on the exchange emulator, each with its own API key, wallet, state file
and kill switch, watched by the real CLI and daemon through real ccxt: an alert fires for
the bot it concerns, named in its key and body, and for no other; each bot's key makes its
own private calls."""

from __future__ import annotations

import time

import pytest

from emulator import NO_KEY
from emulator.receiver import WebhookReceiver
from tests.conftest import free_port, wait_healthy
from tests.fleet_world import make_fleet, write_fleet_app

pytestmark = pytest.mark.slow

SIZE = 20
DRIFTED = (3, 11, 17)  # their state file holds 0.5 BTC more than their exchange wallet
HALTED = (5, 8)  # their kill switch is on


@pytest.fixture
def receiver():
    with WebhookReceiver() as hooks:
        yield hooks


@pytest.fixture
def fleet(workspace, emulator, receiver):
    bots = make_fleet(workspace.root / "bots", emulator, SIZE)
    for index in DRIFTED:
        bots[index].write_state(bots[index].btc + 0.5)
    for index in HALTED:
        bots[index].kill_switch.write_text(f"halt {bots[index].name}")
    write_fleet_app(
        workspace.config,
        bots,
        emulator,
        database_url=f"sqlite:///{workspace.database}",
        channels=[{"name": "hooks", "type": "webhook", "url": receiver.url("/hook")}],
    )
    return bots


def _firing(receiver) -> dict[str, dict]:
    return {b["key"]: b for b in receiver.bodies("/hook") if b["status"] == "firing"}


def test_check_all_fires_for_the_bots_concerned_only(workspace, emulator, receiver, fleet):
    emulator.reset_counts()
    done = workspace.run("check", "all")
    assert done.returncode == 2, done.stdout + done.stderr
    summary, *lines = done.stdout.splitlines()[: SIZE + 1]
    assert summary.startswith("CRITICAL - 5 of 20 accounts not OK")
    not_ok = {line.split(":")[0] for line in lines if ": OK - all 10 checks OK" not in line}
    assert not_ok == {fleet[i].name for i in (*DRIFTED, *HALTED)}

    firing = _firing(receiver)
    expected = {f"{fleet[i].name}:reconcile" for i in DRIFTED}
    expected |= {f"{fleet[i].name}:kill_switch" for i in HALTED}
    assert set(firing) == expected
    for key, body in firing.items():
        assert body["account"] == key.split(":")[0]
    for index in HALTED:
        message = firing[f"{fleet[index].name}:kill_switch"]["message"]
        assert f"{fleet[index].name}/KILL_SWITCH exists" in message, message
        assert message.endswith(f"(halt {fleet[index].name})"), message
    for index in DRIFTED:  # compared with its own wallet, read with its own key
        (drift,) = firing[f"{fleet[index].name}:reconcile"]["context"]["mismatches"]
        assert (drift["symbol"], drift["exchange_qty"]) == ("BTC/USDT", fleet[index].btc)
        assert drift["local_qty"] == pytest.approx(fleet[index].btc + 0.5)

    # Each bot's own key reads its own wallet; market data is public (no key).
    by_key = emulator.requests_by_key("binance")
    assert set(by_key) == {bot.api_key for bot in fleet} | {NO_KEY}
    assert {by_key[bot.api_key]["private"] for bot in fleet} == {1}  # fetch_balance, once
    assert all(by_key[bot.api_key]["public"] == 0 for bot in fleet)
    # The market list and the tickers are shared by every account on the exchange: one
    # exchangeInfo and one ticker/24hr for the whole fleet.
    assert by_key[NO_KEY] == {"public": 2, "private": 0}
    assert emulator.request_counts("binance") == {
        "binance GET api.binance.com/api/v3/exchangeInfo": 1,
        "binance GET api.binance.com/api/v3/ticker/24hr": 1,
        "binance GET api.binance.com/api/v3/account": SIZE,
    }


def test_the_daemon_follows_each_bot(workspace, emulator, receiver, fleet):
    port = free_port()
    text = workspace.config.joinpath("app.yaml").read_text()
    workspace.write_app(text + f"schedule: {{default: 2, delivery: 1}}\nserver: {{port: {port}}}\n")
    daemon = workspace.spawn("run")
    try:
        wait_healthy(port, timeout=60)
        expected = {f"{fleet[i].name}:reconcile" for i in DRIFTED}
        expected |= {f"{fleet[i].name}:kill_switch" for i in HALTED}
        _wait(lambda: set(_firing(receiver)) >= expected, workspace)
        assert set(_firing(receiver)) == expected

        fleet[DRIFTED[0]].write_state()  # the bot and its exchange agree again
        fleet[HALTED[0]].kill_switch.unlink()
        fleet[0].kill_switch.write_text("halt bot-000")
        _wait(lambda: len(receiver.bodies("/hook")) >= len(expected) + 3, workspace)
        time.sleep(3)  # one more cycle of every check: nothing else may arrive
        later = [(b["key"], b["status"]) for b in receiver.bodies("/hook")[len(expected) :]]
        assert sorted(later) == sorted(
            [
                (f"{fleet[DRIFTED[0]].name}:reconcile", "resolved"),
                (f"{fleet[HALTED[0]].name}:kill_switch", "resolved"),
                ("bot-000:kill_switch", "firing"),
            ]
        )
        assert set(emulator.requests_by_key("binance")) == {b.api_key for b in fleet} | {NO_KEY}
    finally:
        assert workspace.stop(daemon) == 0, workspace.daemon_log[-3000:]


def _wait(condition, workspace, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(workspace.daemon_log[-3000:])
        time.sleep(0.2)
