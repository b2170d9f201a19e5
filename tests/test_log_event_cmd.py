"""`log-event` end to end through the real CLI, then the alert it feeds."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime


def _events(workspace) -> int:
    if not workspace.database.exists():
        return 0
    with sqlite3.connect(workspace.database) as connection:
        return connection.execute("SELECT count(*) FROM error_events").fetchone()[0]


def test_three_rejections_logged_by_the_cli_fire_the_burst(workspace):
    for code in ("INSUFFICIENT_FUNDS", "INSUFFICIENT_FUNDS", "MIN_NOTIONAL"):
        logged = workspace.run(
            "log-event",
            "order_rejected",
            "--symbol",
            "BTC/USD",
            "--code",
            code,
            "--message",
            "refused",
            "--context",
            '{"qty": 0.5}',
        )
        assert logged.returncode == 0, logged.stderr
        assert logged.stdout.startswith("recorded order_rejected for default at ")
    result = workspace.run("check", "rejections")
    assert result.returncode == 1, result.stdout
    first = result.stdout.splitlines()[0]
    assert first.startswith("WARNING - Order Rejection Burst: 3 order rejections in the last")
    assert first.endswith("| rejections=3;@3:;;0")
    assert "INSUFFICIENT_FUNDS x2, MIN_NOTIONAL x1" in first


def test_a_bad_kind_exits_3_with_one_line_and_records_nothing(workspace):
    result = workspace.run("log-event", "order_refused", "--symbol", "BTC/USD")
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "alert-matrix: log-event: kind 'order_refused' is not one of api_error, api_ok, "
        "order_rejected, exception; nothing recorded"
    ]
    assert _events(workspace) == 0


def test_bad_context_json_or_time_exits_3_and_records_nothing(workspace):
    bad_json = workspace.run("log-event", "api_error", "--context", "{code: 1}")
    assert bad_json.returncode == 3
    assert len(bad_json.stderr.splitlines()) == 1
    assert "context: not valid JSON" in bad_json.stderr
    bad_ts = workspace.run("log-event", "api_error", "--ts", "last tuesday")
    assert bad_ts.returncode == 3
    assert "ts: 'last tuesday' is not ISO 8601" in bad_ts.stderr
    assert _events(workspace) == 0


def test_a_dry_run_still_ingests_the_bot_file_but_records_no_alert(workspace):
    now = datetime.now(UTC).isoformat()
    lines = [{"ts": now, "kind": "exception", "code": "KeyError"}] * 2
    workspace.error_log.write_text("".join(json.dumps(line) + "\n" for line in lines))
    old = workspace.run("log-event", "exception", "--code", "ValueError", "--ts", "1300000000")
    assert old.returncode == 0  # an epoch time works too (2011: long out of the window)
    result = workspace.run("check", "exceptions", "--dry-run", "--json")
    assert result.returncode == 2
    context = json.loads(result.stdout)["results"][0]["context"]
    assert context["exception_types"] == {"KeyError": 2}
    assert _events(workspace) == 3
    with sqlite3.connect(workspace.database) as connection:
        assert connection.execute("SELECT count(*) FROM alerts").fetchone() == (0,)


def test_a_broken_database_makes_the_check_unknown_not_ok(workspace):
    workspace.database.write_bytes(b"garbage" * 200)
    result = workspace.run("check", "api_errors")
    assert result.returncode == 3
    assert result.stdout.startswith(
        "UNKNOWN - API Error Burst: cannot evaluate: error_log: error log database:"
    )
