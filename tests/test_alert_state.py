"""Alert state end to end through the CLI: recorded in SQLite, notified once, resolved."""

from __future__ import annotations

import sqlite3


def _alerts(workspace) -> dict[str, tuple]:
    with sqlite3.connect(workspace.database) as connection:
        rows = connection.execute(
            "SELECT key, firing, last_status, notification_count FROM alerts"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_kill_switch_fires_once_then_resolves(workspace):
    workspace.kill_switch.write_text("halted by risk desk")
    first = workspace.run("check", "kill_switch")
    assert first.returncode == 2
    assert "FIRING default:kill_switch - Kill Switch Activated" in first.stderr
    assert _alerts(workspace)["default:kill_switch"] == (1, "CRITICAL", 1)

    again = workspace.run("check", "kill_switch")
    assert again.returncode == 2
    assert "FIRING" not in again.stderr  # deduplicated across runs by the database

    workspace.kill_switch.unlink()
    resolved = workspace.run("check", "kill_switch")
    assert resolved.returncode == 0
    assert "RESOLVED default:kill_switch" in resolved.stderr
    assert _alerts(workspace)["default:kill_switch"][:2] == (0, "OK")


def test_repeated_unknown_raises_check_failing_then_resolves(workspace):
    for _ in range(2):
        assert "Check failing" not in workspace.run("check", "heartbeat").stderr
    third = workspace.run("check", "heartbeat")
    assert third.returncode == 3
    assert "FIRING default:check_failing:heartbeat - Check failing: heartbeat" in third.stderr
    assert "state file not found" in third.stderr
    alerts = _alerts(workspace)
    assert alerts["default:heartbeat"] == (0, "UNKNOWN", 0)  # UNKNOWN never reads as OK

    workspace.write_state({"positions": {}})
    healthy = workspace.run("check", "heartbeat")
    assert healthy.returncode == 0
    assert "RESOLVED default:check_failing:heartbeat" in healthy.stderr


def test_unknown_never_resolves_a_firing_alert(workspace):
    workspace.write_state('{"updated_at": "2020-01-01T00:00:00Z", "positions": {}}')
    assert workspace.run("check", "heartbeat").returncode == 2
    workspace.state_file.unlink()
    unknown = workspace.run("check", "heartbeat")
    assert unknown.returncode == 3
    assert "RESOLVED" not in unknown.stderr
    assert _alerts(workspace)["default:heartbeat"][:2] == (1, "UNKNOWN")


def test_an_unwritable_database_still_reports_the_results(workspace):
    workspace.write_app(
        "database_url: sqlite:////proc/no-such-dir/alerts.db\n"
        "paths: {kill_switch_file: data/KILL_SWITCH, state_file: data/state.json}\n"
    )
    workspace.kill_switch.write_text("")
    result = workspace.run("check", "kill_switch")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("CRITICAL - Kill Switch Activated")
    assert lines[-1].startswith("UNKNOWN - alert state not recorded")
    assert result.returncode == 2  # the known CRITICAL still decides


def test_history_shows_check_runs(workspace):
    workspace.kill_switch.write_text("halt")
    workspace.run("check", "kill_switch")
    workspace.kill_switch.unlink()
    workspace.run("check", "kill_switch")
    runs = workspace.run("history", "--runs", "--key", "kill_switch").stdout.splitlines()
    assert runs[0].split() == ["TIME", "KEY", "WHAT", "SEVERITY", "DETAIL"]
    assert [line.split()[4] for line in runs[1:]] == ["CRITICAL", "OK"]
    assert "ms: " in runs[1] and "exists since" in runs[1]
