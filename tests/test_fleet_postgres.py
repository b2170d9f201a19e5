"""Several runners on one PostgreSQL database divide a fleet's accounts through PostgreSQL
itself: each account evaluated by one runner, a dead runner's share taken over, a new runner
given its share, and every alert notified exactly once throughout."""

from __future__ import annotations

import math
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from emulator.receiver import WebhookReceiver
from store.account_claims import ACCOUNT_CLASS, AccountClaims
from store.db import Database
from store.migrate import ensure_schema
from tests.conftest import MAIN
from tests.fleet_world import spawn_daemon

pytestmark = pytest.mark.postgres

ACCOUNTS = [f"bot-{index:02d}" for index in range(12)]


def _balanced(claims: list[AccountClaims], rounds: int = 3) -> list[frozenset[str]]:
    owned: list[frozenset[str]] = []
    for _ in range(rounds):
        owned = [claim.balance(ACCOUNTS) for claim in claims]
    return owned


def test_claims_divide_evenly_and_a_closed_runner_is_taken_over(pg_url):
    runners = [AccountClaims(pg_url) for _ in range(3)]
    try:
        owned = _balanced(runners)
        assert sorted(len(share) for share in owned) == [4, 4, 4]
        assert set().union(*owned) == set(ACCOUNTS)
        assert sum(len(share) for share in owned) == len(ACCOUNTS)  # nobody shares one
        runners.pop(0).close()  # its connection, and its locks, are gone
        owned = _balanced(runners)
        assert set().union(*owned) == set(ACCOUNTS) and [len(s) for s in owned] == [6, 6]
        runners.append(AccountClaims(pg_url))
        runners.append(AccountClaims(pg_url))
        owned = _balanced(runners)
        assert all(len(share) <= math.ceil(len(ACCOUNTS) / 4) for share in owned)
        assert set().union(*owned) == set(ACCOUNTS)
    finally:
        for runner in runners:
            runner.close()


def test_a_killed_runners_accounts_are_free_within_seconds(pg_url):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from store.account_claims import AccountClaims
                claims = AccountClaims({pg_url!r})
                print(len(claims.balance({ACCOUNTS!r})), flush=True)
                time.sleep(60)
                """
            ),
        ],
        cwd=MAIN.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    survivor = AccountClaims(pg_url)
    try:
        assert holder.stdout is not None and int(holder.stdout.readline()) == len(ACCOUNTS)
        assert survivor.balance(ACCOUNTS) == frozenset()  # all held, and only two runners
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        started = time.monotonic()
        while len(survivor.balance(ACCOUNTS)) < len(ACCOUNTS):
            assert time.monotonic() - started < 10, "not taken over within 10 s"
            time.sleep(0.2)
    finally:
        holder.kill()
        survivor.close()


def _config(folder: Path, pg_url: str, hook: str) -> Path:
    lines = [
        f"database_url: {pg_url}",
        "schedule: {default: 300, kill_switch: 1, claims: 1, delivery: 1}",
        "skip_checks: [daily_loss, weekly_loss, drawdown, api_errors, reconcile, rejections,"
        " exceptions, universe, heartbeat]",
        "server: {enabled: false}",
        "channels:",
        f"  - {{name: hooks, type: webhook, url: '{hook}', min_severity: CRITICAL}}",
        "accounts:",
    ]
    for account in ACCOUNTS:
        lines += [
            f"  - name: {account}",
            f"    paths: {{kill_switch_file: {folder}/{account}.KILL,"
            f" state_file: {folder}/{account}.json, error_log_file: null}}",
        ]
    config = folder / "config"
    config.mkdir(exist_ok=True)
    (config / "app.yaml").write_text("\n".join(lines) + "\n")
    return config


def _locks_per_runner(pg_url: str) -> list[int]:
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT pid, count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = :c GROUP BY pid"
            ),
            {"c": ACCOUNT_CLASS},
        ).all()
    engine.dispose()
    return sorted(count for _, count in rows)


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.mark.slow
def test_three_runners_one_killed_one_added_notify_each_alert_once(tmp_path, pg_url):
    database = Database(pg_url)
    ensure_schema(database)  # migrate once, before the race
    database.close()
    log = tmp_path / "runners.log"
    with WebhookReceiver() as receiver:
        config = _config(tmp_path, pg_url, receiver.url("/hook"))
        runners = [spawn_daemon(config, log) for _ in range(3)]
        try:
            _wait(lambda: _locks_per_runner(pg_url) == [4, 4, 4], 30, log.read_text())

            def fire(accounts: list[str]) -> None:
                for account in accounts:
                    (tmp_path / f"{account}.KILL").write_text("halt")

            def notified() -> Counter:
                return Counter(body["key"] for body in receiver.bodies("/hook"))

            fire(ACCOUNTS[:4])
            _wait(lambda: len(notified()) == 4, 20, log.read_text())
            runners[0].send_signal(signal.SIGKILL)
            runners[0].wait()
            killed = time.monotonic()
            _wait(lambda: _locks_per_runner(pg_url) == [6, 6], 10, "no takeover within 10 s")
            assert time.monotonic() - killed < 10
            fire(ACCOUNTS[4:8])
            _wait(lambda: len(notified()) == 8, 20, log.read_text())
            runners.append(spawn_daemon(config, log))
            _wait(lambda: _locks_per_runner(pg_url) == [4, 4, 4], 30, "no share for the new one")
            fire(ACCOUNTS[8:])
            _wait(lambda: len(notified()) == 12, 20, log.read_text())
            time.sleep(3)  # time for any duplicate to show
        finally:
            for runner in runners[1:]:
                runner.send_signal(signal.SIGTERM)
            for runner in runners:
                runner.wait(timeout=30)
        counts = notified()
        assert set(counts) == {f"{account}:kill_switch" for account in ACCOUNTS}
        assert set(counts.values()) == {1}, counts
