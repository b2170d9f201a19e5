"""Runners sharing a fleet through PostgreSQL: how evenly they divide it, and how fast the
survivors take over the accounts of a runner that is SIGKILLed.

`--runners` real daemons (default 3) on one scratch database (created on the server of
$ALERT_MATRIX_TEST_PG_URL, dropped at the end) watch a fleet of `--accounts` bots (default
60) on the local exchange emulator. Who holds what is read from `pg_locks` (the advisory
locks of class `ACCOUNT_CLASS`, store/account_claims.py), every 0.1 s. Then `--kills` times:
SIGKILL one runner; takeover = until the survivors hold every account again; then start a
replacement; rejoin = until every runner holds its fair share (ceil(accounts / runners)).
Each wait is bounded by `--timeout`.

    ALERT_MATRIX_TEST_PG_URL=postgresql+psycopg://... .venv/bin/python bench/takeover.py
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fleet_runner import percentile, spawn_daemon, stop_daemon, table, write_fleet
from sqlalchemy import Engine, create_engine, text

from emulator import ExchangeEmulator
from store.account_claims import ACCOUNT_CLASS
from store.db import Database
from store.migrate import ensure_schema
from tests.conftest import PG_ENV, scratch_database


def held(engine: Engine) -> list[int]:
    """Accounts held by each runner, fewest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT pid, count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = :c AND database = (SELECT oid FROM pg_database"
                " WHERE datname = current_database()) GROUP BY pid"
            ),
            {"c": ACCOUNT_CLASS},
        ).all()
    return sorted(count for _, count in rows)


def spread(engine: Engine) -> str:
    """`20/20/20`: what each runner holds."""
    return "/".join(map(str, held(engine)))


def wait(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until `condition` held (polled every 0.1 s)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise SystemExit(f"{what}: not within {timeout:g} s")
        time.sleep(0.1)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=60)
    parser.add_argument("--runners", type=int, default=3)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    base = os.environ.get(PG_ENV)
    if not base:
        raise SystemExit(f"set {PG_ENV} to a PostgreSQL server URL")
    share = math.ceil(args.accounts / args.runners)

    with (
        scratch_database(base, "am_bench") as url,
        tempfile.TemporaryDirectory() as tmp,
        ExchangeEmulator() as emulator,
    ):
        database = Database(url)
        ensure_schema(database)  # once, before the runners race to it
        database.close()
        config, _ = write_fleet(
            Path(tmp), emulator, args.accounts, database_url=url, server={"enabled": False}
        )
        log, engine = Path(tmp) / "runners.log", create_engine(url)

        def fair() -> bool:
            counts = held(engine)
            return (
                len(counts) == args.runners
                and sum(counts) == args.accounts
                and (max(counts) <= share)
            )

        def taken_over(counts: list[int]) -> bool:
            """Every account held by the survivors alone: the dead runner's locks, which
            PostgreSQL keeps until it sees the connection closed, no longer counted."""
            return len(counts) <= len(runners) and sum(counts) == args.accounts

        runners: list[subprocess.Popen] = []
        try:
            runners = [spawn_daemon(config, log) for _ in range(args.runners)]
            settled = wait(fair, args.timeout, "the first division")
            rows = [("start", "-", "-", f"{settled:.1f}", spread(engine))]
            for kill in range(1, args.kills + 1):
                victim = runners.pop(random.randrange(len(runners)))
                victim.kill()
                victim.wait()
                took = wait(lambda: taken_over(held(engine)), args.timeout, "takeover")
                after = spread(engine)
                runners.append(spawn_daemon(config, log))
                rejoin = wait(fair, args.timeout, "the rejoin")
                rows.append((kill, f"{took:.2f}", after, f"{rejoin:.1f}", spread(engine)))
        finally:
            for runner in runners:
                stop_daemon(runner)
            engine.dispose()
    takeovers = [float(row[1]) for row in rows[1:]]
    print(
        table(
            f"takeover: {args.runners} daemons on PostgreSQL, {args.accounts} accounts "
            f"(fair share {share}), claims every 2 s",
            ("kill", "takeover (s)", "held after", "division settled (s)", "held, settled"),
            rows,
        )
    )
    print(
        f"\ntakeover p50 {percentile(takeovers, 0.5):.2f} s, max {max(takeovers):.2f} s "
        f"over {len(takeovers)} SIGKILLs"
    )


if __name__ == "__main__":
    main()
