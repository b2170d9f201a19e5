"""The CLI contract (README: "Command line"): status lines, exit codes, --json, --help,
config errors."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from checks.registry import CHECKS
from tests.conftest import BASE_APP, MAIN

ALL = len(CHECKS)


def test_unknown_check_exits_3_and_lists_valid_names(workspace):
    result = workspace.run("check", "nope")
    assert result.returncode == 3
    first = result.stdout.splitlines()[0]
    assert first.startswith("UNKNOWN - no check named 'nope'")
    assert "kill_switch" in first and "heartbeat" in first and "all" in first


def test_kill_switch_present_is_critical_with_its_reason(workspace):
    workspace.kill_switch.write_text("manual halt: exchange maintenance\n")
    result = workspace.run("check", "kill_switch", "--dry-run")
    assert result.returncode == 2
    first = result.stdout.splitlines()[0]
    assert first.startswith("CRITICAL - Kill Switch Activated: data/KILL_SWITCH exists")
    assert "manual halt: exchange maintenance" in first
    assert first.endswith("| active=1;;0;0;1")


def test_kill_switch_absent_is_ok(workspace):
    result = workspace.run("check", "kill_switch", "--dry-run")
    assert result.returncode == 0
    assert result.stdout.startswith("OK - Kill Switch Activated: no kill-switch file")


def test_check_all_exits_with_the_worst(workspace):
    # no state file, no exchange -> UNKNOWNs; kill switch absent -> OK: worst is UNKNOWN (3)
    result = workspace.run("check", "all", "--dry-run")
    assert result.returncode == 3
    first = result.stdout.splitlines()[0]
    assert first.startswith("UNKNOWN - ") and "heartbeat UNKNOWN" in first
    assert "kill_switch" not in first.split("|")[0]
    # a known CRITICAL is never hidden behind an UNKNOWN
    workspace.kill_switch.write_text("")
    result = workspace.run("check", "all", "--dry-run")
    assert result.returncode == 2
    assert re.match(r"CRITICAL - \d+ of \d+ checks not OK: kill_switch CRITICAL", result.stdout)


def test_check_all_ok(workspace, emulator):
    workspace.use_exchange(emulator, "binance")
    workspace.write_state(
        {
            "updated_at": datetime.now(UTC).isoformat(),
            "positions": {"BTC-USDT": {"quantity": 0.6}, "ETH-USDT": {"quantity": 4.0}},
        }
    )
    emulator.state.remove("balances", "SOL")
    result = workspace.run("check", "all", "--dry-run")
    assert result.returncode == 0, result.stdout
    assert re.match(r"OK - all \d+ checks OK \|", result.stdout)


def test_json_document(workspace):
    workspace.kill_switch.write_text("halt")
    result = workspace.run("check", "all", "--dry-run", "--json")
    document = json.loads(result.stdout)
    assert document["status"] == "CRITICAL" and document["exit_code"] == 2
    by_name = {item["name"]: item for item in document["results"]}
    assert by_name["kill_switch"]["context"]["content"] == "halt"
    assert by_name["heartbeat"]["status"] == "UNKNOWN"
    assert "state file not found" in by_name["heartbeat"]["summary"]
    assert result.returncode == 2


def test_config_error_exits_3_with_one_line(workspace):
    workspace.write_policy("risk:\n  daily_stop_loss_pct: -1\n")
    result = workspace.run("check", "all")
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert "policy.yaml:2: risk.daily_stop_loss_pct:" in lines[0]
    assert not workspace.database.exists()


def test_config_flag_after_the_command_and_from_environment(workspace, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "app.yaml").write_text("paths:\n  kill_switch_file: data/OTHER_SWITCH\n")
    (workspace.data / "OTHER_SWITCH").write_text("")
    assert (
        workspace.run("check", "kill_switch", "--dry-run", "--config", str(other)).returncode == 2
    )
    result = workspace.run(
        "check", "kill_switch", "--dry-run", env={"ALERT_MATRIX_CONFIG": str(other)}
    )
    assert result.returncode == 2


@pytest.mark.parametrize(
    "command",
    [[], ["check"], ["config"], ["config", "check"], ["db"], ["db", "upgrade"], ["log-event"]],
)
def test_help_everywhere(workspace, command):
    result = workspace.run(*command, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_version(workspace):
    result = workspace.run("--version")
    assert result.returncode == 0 and result.stdout.startswith("alert-matrix ")


def test_usage_error_is_unknown_not_critical(workspace):
    assert workspace.run("check").returncode == 3


def test_dry_run_of_a_file_check_touches_no_database(workspace):
    workspace.kill_switch.write_text("x")
    workspace.run("check", "kill_switch", "--dry-run")
    assert not workspace.database.exists()


def test_dry_run_records_no_alert_state(workspace):
    # checks of the error log open the database to ingest the bot's input, never alert state
    workspace.kill_switch.write_text("x")
    workspace.run("check", "all", "--dry-run")
    with sqlite3.connect(workspace.database) as connection:
        assert connection.execute("SELECT count(*) FROM alerts").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM check_runs").fetchone() == (0,)


def test_config_check_masks_secrets(workspace):
    workspace.write_app(
        """
        exchange:
          id: coinbase
          config: {apiKey: "${KEY}", secret: "${SECRET}"}
        monitoring:
          alert_service:
            webhook_url: "${HOOK}"
        """
    )
    env = {
        "KEY": "ak-visible-1",
        "SECRET": "sk-visible-2",
        "HOOK": "https://hooks.slack.com/x/TOPSECRET",
    }
    result = workspace.run("config", "check", env=env)
    assert result.returncode == 0, result.stderr
    assert "configuration OK" in result.stdout
    assert "daily_stop_loss_pct: 3.0" in result.stdout
    for secret in ("ak-visible-1", "sk-visible-2", "TOPSECRET"):
        assert secret not in result.stdout + result.stderr


def test_db_upgrade(workspace):
    result = workspace.run("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "revision" in result.stdout
    assert workspace.database.exists()


def test_skipped_checks_are_left_out_of_all_but_run_by_name(workspace):
    workspace.write_app(
        BASE_APP + "skip_checks: [daily_loss, weekly_loss, drawdown, reconcile, universe]\n"
    )
    workspace.write_state({"updated_at": datetime.now(UTC).isoformat(), "positions": {}})
    result = workspace.run("check", "all", "--dry-run")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK - all 5 checks OK |")
    assert workspace.run("check", "reconcile", "--dry-run").returncode == 3  # no exchange
    status = workspace.run("status").stdout
    assert "default:reconcile" not in status and "default:heartbeat" in status


def test_unknown_skipped_check_is_a_config_error(workspace):
    workspace.write_app(BASE_APP + "skip_checks: [recon]\n")
    result = workspace.run("check", "all")
    assert result.returncode == 3 and "skip_checks: no check named 'recon'" in result.stdout


def test_a_file_check_dry_run_imports_nothing_heavy(workspace):
    """`check kill_switch --dry-run` starts in about 0.2 s: ccxt, SQLAlchemy, requests and
    Alembic (most of a second together) are loaded only by what needs them."""
    heavy = {"ccxt", "sqlalchemy", "requests", "alembic"}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(MAIN), "check", "kill_switch", "--dry-run"],
        cwd=workspace.root,
        capture_output=True,
        text=True,
        check=False,
    )
    loaded = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert result.returncode == 0, result.stdout
    assert not loaded & heavy, loaded & heavy
