"""A fleet of N bots (default 500) watched by one daemon: can it keep its 30 s cycles, and
at what cost?

Each bot trades binance spot on the local exchange emulator with its own API key and
wallet, and has its own state file; the real daemon (`main.py run`, a subprocess) runs every
check every `--interval` seconds on SQLite (`--postgres`: a scratch database on the server of
$ALERT_MATRIX_TEST_PG_URL). After a warm-up (every check job has swept the
fleet once), it is measured for `--cycles` intervals:

- cycle lag: for each account and check, the time between two consecutive evaluations
  (`check_runs.started_at`) minus the interval: how much later than promised a bot was
  looked at again. Includes the scheduler's jitter (up to 10 % of the interval, 3 s at most).
- sweep: how long one run of a check job took over the whole fleet (/healthz, polled
  each second); a sweep longer than the interval means skipped runs.
- runner CPU (user + system, % of one core) and RSS, from /proc.
- exchange requests per cycle, public (market data) and private (per bot's key).

Traffic goes to 127.0.0.1 only; the run stops itself after warm-up + cycles (bounded by
`--max-warmup`).

    .venv/bin/python bench/fleet.py --accounts 500 --cycles 6
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path

import requests
from fleet_runner import (
    cpu_seconds,
    percentile,
    rss_mb,
    spawn_daemon,
    stop_daemon,
    table,
    write_fleet,
)
from sqlalchemy import select

from checks.registry import CHECKS
from emulator import NO_KEY, ExchangeEmulator
from store.db import Database
from store.models import CheckRun
from tests.conftest import PG_ENV, free_port, scratch_database


class Sampler(threading.Thread):
    """Every second: the daemon's RSS, and each finished run of each job (/healthz)."""

    def __init__(self, pid: int, port: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.port = pid, port
        self.rss: list[float] = []
        self.sweeps: dict[str, list[float]] = defaultdict(list)
        self.runs: dict[str, int] = {}
        self.measuring = False
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            try:
                jobs = requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
                jobs = jobs.json()["jobs"]
            except (requests.RequestException, ValueError, KeyError):
                continue
            for name, job in jobs.items():
                if job["runs"] > self.runs.get(name, 0) and self.measuring:
                    self.sweeps[name].append(job["last_duration"])
                self.runs[name] = job["runs"]
            if self.measuring:
                self.rss.append(rss_mb(self.pid))


def lags(database_url: str, since: float, interval: float) -> list[float]:
    """Consecutive evaluations of each (account, check) started after `since` (epoch s):
    their gap minus the interval."""
    database = Database(database_url)
    try:
        with database.read() as session:
            rows = session.execute(
                select(CheckRun.account, CheckRun.check_name, CheckRun.started_at)
            ).all()
    finally:
        database.close()
    starts: dict[tuple[str, str], list[float]] = defaultdict(list)
    for account, check, started in rows:
        if started.timestamp() >= since:
            starts[(account, check)].append(started.timestamp())
    out = []
    for times in starts.values():
        times.sort()
        out += [later - earlier - interval for earlier, later in pairwise(times)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--interval", type=float, default=30.0)
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--max-warmup", type=float, default=600.0)
    parser.add_argument(
        "--postgres", action="store_true", help=f"a scratch database on ${PG_ENV}, not SQLite"
    )
    args = parser.parse_args()

    with ExitStack() as stack:
        folder, port = Path(stack.enter_context(tempfile.TemporaryDirectory())), free_port()
        emulator = stack.enter_context(ExchangeEmulator())
        database_url = (
            stack.enter_context(scratch_database(os.environ[PG_ENV], "am_bench"))
            if args.postgres
            else f"sqlite:///{folder}/alert_matrix.db"
        )
        config, _ = write_fleet(
            folder,
            emulator,
            args.accounts,
            database_url=database_url,
            schedule={"default": round(args.interval)},
            server={"port": port},
        )
        log = folder / "daemon.log"
        daemon = spawn_daemon(config, log)
        sampler = Sampler(daemon.pid, port)
        sampler.start()
        began = time.monotonic()
        try:
            checks = _wait_warm(sampler, daemon, began + args.max_warmup, log)
            warmup = time.monotonic() - began
            emulator.reset_counts()
            since, cpu_before = time.time(), cpu_seconds(daemon.pid)
            sampler.measuring = True
            window = args.cycles * args.interval
            time.sleep(window)
            cpu = (cpu_seconds(daemon.pid) - cpu_before) / window
            rss = rss_mb(daemon.pid)
            by_key = emulator.requests_by_key()
        finally:
            sampler.stopping.set()
            stop_daemon(daemon)
        lag = lags(database_url, since, args.interval)
        sweeps = [s for name in checks for s in sampler.sweeps[name]]
        public = by_key.get(NO_KEY, {}).get("public", 0) / args.cycles
        private = [v["private"] / args.cycles for k, v in by_key.items() if k != NO_KEY]
        print(
            table(
                f"fleet: {args.accounts} accounts, every check every {args.interval:g} s, "
                f"{'PostgreSQL' if args.postgres else 'SQLite'}, {args.cycles} cycles measured"
                f" after a {warmup:.0f} s warm-up",
                ("measure", "p50", "p95", "max"),
                [
                    ("cycle lag (s)", *_spread(lag)),
                    ("check job sweep over the fleet (s)", *_spread(sweeps)),
                    ("runner RSS (MB)", *_spread(sampler.rss)),
                ],
            )
        )
        print()
        print(
            table(
                "cost per cycle",
                ("measure", "value"),
                [
                    ("runner CPU (% of one core)", f"{100 * cpu:.0f}"),
                    ("runner RSS at the end (MB)", f"{rss:.0f}"),
                    ("public exchange requests per cycle (whole fleet)", f"{public:.1f}"),
                    ("private requests per account per cycle (mean)", _mean(private)),
                    ("accounts whose key made private calls", len(private)),
                    ("evaluations measured", len(lag)),
                ],
            )
        )


def _wait_warm(sampler: Sampler, daemon, deadline: float, log: Path) -> list[str]:
    """The check jobs, once each has finished a run over the whole fleet."""
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            raise SystemExit(f"the daemon exited:\n{log.read_text()[-3000:]}")
        if all(sampler.runs.get(name, 0) >= 1 for name in CHECKS):
            return list(CHECKS)
        time.sleep(1)
    raise SystemExit(f"not warm within the limit; daemon log:\n{log.read_text()[-3000:]}")


def _spread(values: list[float]) -> tuple[str, str, str]:
    if not values:
        return ("-", "-", "-")
    marks = (percentile(values, 0.5), percentile(values, 0.95), max(values))
    return tuple(f"{value:.1f}" for value in marks)


def _mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.2f}" if values else "-"


if __name__ == "__main__":
    main()
