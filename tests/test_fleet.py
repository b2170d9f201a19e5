"""A fleet in one runner: `accounts:` in app.yaml, each account's own files, exchange and
policy overrides; every command covers the fleet or takes `--account`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from checks.daily_loss import DailyLossPolicy
from checks.universe import UniversePolicy
from config import ConfigError
from jobs.settings import load_settings


def _fleet(
    workspace,
    extra: str = "",
    names: Sequence[str] = ("bot-a", "bot-b"),
    error_log: bool = True,
    exchange: Callable[[int], dict] | None = None,
) -> list[Path]:
    """app.yaml listing `names`, each with its own folder, state file and kill-switch path
    (an error log too if `error_log`), and `exchange(index)` as its exchange block."""
    lines = [f"database_url: sqlite:///{workspace.database}", "accounts:"]
    folders = []
    for index, name in enumerate(names):
        folder = workspace.root / name
        folder.mkdir(exist_ok=True)
        (folder / "state.json").write_text('{"positions": {}}')
        errors = f"{folder}/errors.jsonl" if error_log else "null"
        lines += [
            f"  - name: {name}",
            f"    paths: {{state_file: {folder}/state.json, kill_switch_file: {folder}/KILL,"
            f" error_log_file: {errors}}}",
        ]
        if exchange is not None:
            lines.append(f"    exchange: {json.dumps(exchange(index))}")
        folders.append(folder)
    workspace.write_app("\n".join(lines) + "\n" + extra)
    return folders


def test_each_account_sees_its_files_and_its_policy_overrides(workspace):
    _fleet(workspace)
    text = workspace.config.joinpath("app.yaml").read_text()
    text = text.replace(
        "  - name: bot-b\n", "  - name: bot-b\n    policy: {risk: {min_eligible_assets: 4}}\n"
    )
    workspace.write_app(text)
    workspace.write_policy("risk: {daily_stop_loss_pct: 2.0}\n")
    settings = load_settings(workspace.config, environ={})
    a, b = settings.fleet()
    assert (a.account, b.account) == ("bot-a", "bot-b")
    assert a.app.paths.kill_switch_file == workspace.root / "bot-a" / "KILL"
    assert a.policy.of(DailyLossPolicy).daily_stop_loss_pct == 2.0  # policy.yaml for all
    assert b.policy.of(UniversePolicy).min_eligible_assets == 4  # its own, older spelling
    assert a.policy.of(UniversePolicy).min_eligible_assets == 2


def test_a_bad_override_names_its_account_entry_and_line(workspace):
    _fleet(workspace)
    text = workspace.config.joinpath("app.yaml").read_text()
    workspace.write_app(text + "    policy: {risk: {daily_stop_los_pct: 1}}\n")
    with pytest.raises(ConfigError) as error:
        load_settings(workspace.config, environ={})
    assert "accounts[1].policy.risk.daily_stop_los_pct: unknown key" in str(error.value)
    assert "did you mean 'daily_stop_loss_pct'" in str(error.value)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("account: main\n", "set either `accounts` (a fleet) or account (one bot)"),
        ("  - name: bot-a\n", "account names must be unique: bot-a"),
    ],
)
def test_one_form_and_unique_names(workspace, extra, problem):
    _fleet(workspace, extra)
    with pytest.raises(ConfigError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_settings(workspace.config, environ={})


def test_check_covers_the_fleet_with_a_line_per_account(workspace):
    _fleet(workspace, "skip_checks: [daily_loss, weekly_loss, drawdown, reconcile, universe]\n")
    (workspace.root / "bot-b" / "KILL").write_text("halt b")
    done = workspace.run("check", "all")
    assert done.returncode == 2, done.stdout + done.stderr
    summary, a, b = done.stdout.splitlines()[:3]
    assert summary.startswith("CRITICAL - 1 of 2 accounts not OK: bot-b CRITICAL")
    assert "ok=1 warning=0 critical=1 unknown=0" in summary
    assert a.startswith("bot-a: OK - all 5 checks OK")
    assert b.startswith("bot-b: CRITICAL - 1 of 5 checks not OK: kill_switch CRITICAL")
    one = workspace.run("check", "kill_switch", "--account", "bot-a")
    assert one.returncode == 0 and one.stdout.startswith("OK - Kill Switch Activated")
    document = json.loads(workspace.run("check", "all", "--json").stdout)
    assert [entry["account"] for entry in document["accounts"]] == ["bot-a", "bot-b"]
    unknown = workspace.run("check", "all", "--account", "bot-z")
    assert unknown.returncode == 3
    assert unknown.stdout.startswith("UNKNOWN - no account named 'bot-z'")


def test_operator_commands_name_their_account(workspace):
    _fleet(workspace)
    (workspace.root / "bot-b" / "KILL").write_text("halt b")
    workspace.run("check", "kill_switch")
    ambiguous = workspace.run("ack", "kill_switch")
    assert ambiguous.returncode == 3 and "name one with --account" in ambiguous.stderr
    assert workspace.run("ack", "bot-b:kill_switch").returncode == 0
    silenced = workspace.run("silence", "heartbeat", "--for", "1h", "--account", "bot-a")
    assert silenced.returncode == 0 and "silenced bot-a:heartbeat" in silenced.stdout
    logged = workspace.run("log-event", "exception", "--account", "bot-a", "--code", "KeyError")
    assert logged.returncode == 0 and "for bot-a" in logged.stdout
    status = json.loads(workspace.run("status", "--json").stdout)
    keys = {row["key"]: row["state"] for row in status["alerts"]}
    assert keys["bot-b:kill_switch"] == "ACKNOWLEDGED" and keys["bot-a:kill_switch"] == "OK"
    only_a = json.loads(workspace.run("status", "--json", "--account", "bot-a").stdout)
    assert {row["key"].split(":")[0] for row in only_a["alerts"]} == {"bot-a"}
    history = workspace.run("history", "--account", "bot-b").stdout
    assert "bot-b:kill_switch" in history and "bot-a:" not in history


def test_accounts_on_one_exchange_share_its_markets_and_tickers(workspace, emulator):
    """Per account only what is private (its balance); the market list and the tickers are
    asked once for every account on the exchange."""
    from emulator.ccxt_config import ccxt_config_for

    config = ccxt_config_for("binance", emulator.base_url, with_exceptions=False)
    names = [f"bot-{index}" for index in range(4)]
    _fleet(
        workspace,
        names=names,
        error_log=False,
        exchange=lambda _: {"id": "binance", "config": config},
    )
    emulator.reset_counts()
    done = workspace.run("check", "universe")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK - all 4 accounts OK")
    paths = [record.path for record in emulator.request_log("binance")]
    assert sum("exchangeInfo" in path for path in paths) == 1  # one market list for all four
    assert sum("ticker/24hr" in path for path in paths) == 1  # one tickers fetch for all four


def test_accounts_on_different_venues_of_one_exchange_share_nothing(workspace, emulator):
    """A testnet account (other URLs) never gets a live account's market list or tickers."""
    from emulator.ccxt_config import ccxt_config_for

    def venue(index: int) -> dict:
        config = ccxt_config_for("binance", emulator.base_url, with_exceptions=False)
        config["timeout"] = 10_000 + index  # another venue's settings: nothing shared
        return {"id": "binance", "config": config}

    _fleet(workspace, names=["bot-0", "bot-1"], error_log=False, exchange=venue)
    emulator.reset_counts()
    assert workspace.run("check", "universe").returncode == 0
    paths = [record.path for record in emulator.request_log("binance")]
    assert sum("exchangeInfo" in path for path in paths) == 2
    assert sum("ticker/24hr" in path for path in paths) == 2


def _kill_switches(workspace, count: int) -> list:
    """`count` accounts, every kill switch set, as one runner sees them."""
    names = [f"bot-{index:02d}" for index in range(count)]
    for index, folder in enumerate(_fleet(workspace, names=names, error_log=False)):
        (folder / "KILL").write_text(f"halt {index:02d}")
    from jobs.runtime import Runtime

    return Runtime(load_settings(workspace.config, environ={})).fleet()


def test_a_fleet_is_recorded_in_batches_each_account_its_own_alert(workspace):
    from checks.registry import CHECKS
    from jobs.cycle import BATCH_ACCOUNTS, CycleOptions, run_fleet

    members = _kill_switches(workspace, BATCH_ACCOUNTS + 5)  # two batches
    try:
        reports = run_fleet(members, [CHECKS["kill_switch"]], CycleOptions(deliver=False))
        assert not [r.failure for r in reports if r.failure]
        for index, report in enumerate(reports):
            [notification] = report.outgoing
            assert notification.key == f"bot-{index:02d}:kill_switch"
            assert f"halt {index:02d}" in notification.message
        status = workspace.run("status", "--account", "bot-29")
        assert "bot-29:kill_switch" in status.stdout and "FIRING" in status.stdout
    finally:
        members[0].close()


def test_an_account_that_cannot_be_recorded_costs_no_other_its_results(workspace, monkeypatch):
    import alerts.service
    from checks.registry import CHECKS
    from jobs.cycle import CycleOptions, run_fleet

    members = _kill_switches(workspace, 4)
    decide = alerts.service.decide

    def broken_for_bot_02(state, *args):
        if state.account == "bot-02":
            raise ValueError("bot-02 cannot be decided")
        return decide(state, *args)

    monkeypatch.setattr(alerts.service, "decide", broken_for_bot_02)
    try:
        reports = run_fleet(members, [CHECKS["kill_switch"]], CycleOptions(deliver=False))
    finally:
        members[0].close()
    assert [r.failure for r in reports] == ["", "", "ValueError: bot-02 cannot be decided", ""]
    assert [len(r.outgoing) for r in reports] == [1, 1, 0, 1]
    status = workspace.run("status")
    assert status.stdout.count("FIRING") == 3, status.stdout
