"""Status page render times at size: 90 days of equity snapshots (one every 30 s, the
daemon's default cadence: 259,200 rows), 10,000 alert history rows, 10,000 deliveries and
30 days of cron check runs (10 checks a minute). Goal: p95 < 100 ms for each page.

    .venv/bin/python bench/web_render.py [--dir DIR | --url URL] [--runs 50]

Fills a real, migrated database (a SQLite file in DIR, or the PostgreSQL database at URL,
which must exist; reused when it is already full), then times whole requests through the
WSGI application (routing, queries, templates), warm, in-process: p50 and p95 of `--runs`
requests each. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from werkzeug.test import Client

from checks.registry import CHECKS
from config.loader import Settings
from config.models import AppConfig
from core.heap import settle_heap
from jobs.settings import SCHEMA
from jobs.settings import policy as default_policy
from store.db import Database
from store.equity_snapshots import rebuild_all_rollups
from store.migrate import ensure_schema
from store.models import Alert, AlertEvent, CheckRun, EquitySnapshot, OutboxItem
from web.app import StatusPage
from web.auth import Credential

NOW = datetime.now(UTC).replace(microsecond=0)
SNAPSHOT_EVERY = timedelta(seconds=30)
DAYS = 90
HISTORY = 10_000
EVENTS = ("firing", "escalated", "reminder", "acknowledged", "silenced", "resolved")
PAGES = {
    "board (day)": "/",
    "board (30d)": "/?window=30d",
    "alert page (kill_switch)": "/alert/default:kill_switch",
    "alert page (drawdown, 30d plot)": "/alert/default:drawdown",
    "equity JSON (day)": "/equity.json?window=day",
    "equity JSON (week)": "/equity.json?window=week",
    "equity JSON (30d)": "/equity.json?window=30d",
}


def fill(database: Database) -> None:
    with database.read() as session:
        if session.scalar(select(func.count()).select_from(EquitySnapshot)):
            return
    count = int(timedelta(days=DAYS) / SNAPSHOT_EVERY)
    start = NOW - timedelta(days=DAYS)
    snapshots = [
        {
            "account": "default",
            "currency": "USD",
            "ts": start + SNAPSHOT_EVERY * i,
            "equity": 100_000 + 8_000 * math.sin(i / 5000) + 300 * math.sin(i / 37),
        }
        for i in range(count)
    ]
    with database.write() as session:
        session.execute(insert(EquitySnapshot), snapshots)
        rebuild_all_rollups(session)  # a bulk insert bypasses SnapshotHistory.add
        for name, check in CHECKS.items():
            session.add(
                Alert(
                    key=f"default:{name}",
                    account="default",
                    name=name,
                    title=check.title,
                    firing=name == "kill_switch",
                    severity=check.severity.name,
                    last_status="CRITICAL" if name == "kill_switch" else "OK",
                    summary=f"{name} summary",
                    context={"baseline": 100_000.0, "threshold_pct": 3.0},
                    first_seen=NOW,
                    last_evaluated_at=NOW,
                    state_since=NOW,
                    notification_count=3,
                )
            )
        keys = [f"default:{name}" for name in CHECKS]
        session.execute(
            insert(AlertEvent),
            [
                {
                    "key": keys[i % len(keys)],
                    "ts": NOW - timedelta(minutes=i),
                    "event": EVENTS[i % len(EVENTS)],
                    "severity": "CRITICAL",
                    "summary": f"event {i}",
                }
                for i in range(HISTORY)
            ],
        )
        session.execute(
            insert(OutboxItem),
            [
                {
                    "notification_id": f"n{i}",
                    "channel": "ops",
                    "alert_key": keys[i % len(keys)],
                    "status": "firing",
                    "severity": "CRITICAL",
                    "escalated": False,
                    "payload": {},
                    "created_at": NOW - timedelta(minutes=i),
                    "state": "sent",
                    "attempts": 1,
                    "next_attempt_at": NOW,
                    "sent_at": NOW - timedelta(minutes=i),
                }
                for i in range(HISTORY)
            ],
        )
        session.execute(
            insert(CheckRun),
            [
                {
                    "account": "default",
                    "check_name": name,
                    "duration_ms": 12.0,
                    "started_at": NOW - timedelta(minutes=minute),
                    "status": "OK",
                    "summary": "",
                }
                for minute in range(30 * 24 * 60)
                for name in CHECKS
            ],
        )


def measure(client: Client, path: str, runs: int) -> tuple[float, float]:
    client.get(path)  # warm: templates compiled, connections opened
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--url", help="a database URL instead of a SQLite file in --dir")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    path = Path(args.dir) / "alert_matrix_web_bench.db"
    database = Database(args.url or f"sqlite:///{path}")
    ensure_schema(database)
    fill(database)
    app = AppConfig.model_validate({"database_url": database.url})
    settings = Settings(Path("."), app, default_policy(), SCHEMA, frozenset())
    page = StatusPage(settings, lambda: database, credential=Credential(None))
    settle_heap()  # as `run` and `web` do once started
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, url in PAGES.items():
        p50, p95 = measure(Client(page), url, args.runs)
        print(f"{name:34} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
