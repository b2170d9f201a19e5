"""Window queries of the three error-log checks on 1 M and 10 M events, with and without the
(account, kind, ts) index. Goal: <= 5 ms for the three at 10 M with the index.

    .venv/bin/python bench/error_log_query.py [--sizes 1000000 10000000] [--dir DIR] [--runs 200]

Fills a real, migrated SQLite file per size (reused when it already holds that many events):
30 days of events, in time order, for 5 accounts, mostly `api_ok`, with codes, symbols and
messages. Times `store.error_windows.read_window` (the code the checks run) for each check's
query at the newest event's time: warm, median of `--runs` runs. "Without index" drops both
error_events indexes inside a transaction that is rolled back afterwards. The "burst" column
is the exception window when it holds 5,000 events, so the row cap and the exact count are hit.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from checks.api_errors import ApiErrors
from checks.exceptions import Exceptions
from checks.rejections import Rejections
from jobs.settings import policy as default_policy
from store.db import Database
from store.error_windows import read_window
from store.migrate import ensure_schema

NOW = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)
DAYS = 30
BURST = 5000
ACCOUNTS = (["default"] * 4) + ["acct-1", "acct-2", "acct-3", "acct-4"]
KINDS = (["api_ok"] * 70) + (["api_error"] * 15) + (["order_rejected"] * 10) + (["exception"] * 5)
CODES = {
    "api_ok": [None],
    "api_error": ["429", "500", "502", "503", "504", "ETIMEDOUT"],
    "order_rejected": ["INSUFFICIENT_FUNDS", "MIN_NOTIONAL", "PRICE_BAND", "RATE_LIMIT"],
    "exception": ["KeyError", "ValueError", "TimeoutError", "ZeroDivisionError"],
}
SYMBOLS = [f"{base}/USD" for base in ("BTC", "ETH", "SOL", "ADA", "XRP", "DOT", "LTC", "AVAX")]
INDEXES = ("ix_error_events_account_kind_ts", "ix_error_events_ts")
CHECKS = (ApiErrors(), Rejections(), Exceptions())


def stamp(moment: datetime) -> str:
    """How SQLAlchemy stores UtcDateTime on SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(path: Path, count: int) -> None:
    """`count` events over 30 days up to NOW, plus a burst of exceptions for one account."""
    database = Database(f"sqlite:///{path}")
    ensure_schema(database)
    database.close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous = OFF")
    indexes = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'error_events'"
    ).fetchall()
    for name in INDEXES:  # a sorted index build after the load is much faster
        connection.execute(f"DROP INDEX {name}")
    rng = random.Random(42)
    start = NOW - timedelta(days=DAYS)
    step = DAYS * 86400 / count
    batch = []
    insert = (
        "INSERT INTO error_events (ts, account, kind, source, symbol, code, message, context)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    connection.execute("BEGIN")
    for index in range(count):
        kind = rng.choice(KINDS)
        code = rng.choice(CODES[kind])
        ts = start + timedelta(seconds=index * step)
        context = '{"traceback": ["bot/loop.py:120 in run_cycle"]}' if kind == "exception" else None
        batch.append(
            (
                stamp(ts),
                rng.choice(ACCOUNTS),
                kind,
                "runner" if kind == "api_error" and index % 5 == 0 else "bot",
                rng.choice(SYMBOLS) if kind != "api_ok" else None,
                code,
                None if code is None else f"{code} while calling the exchange",
                context,
            )
        )
        if len(batch) == 200_000:
            connection.executemany(insert, batch)
            batch.clear()
    connection.executemany(insert, batch)
    connection.execute("COMMIT")
    connection.execute("BEGIN")
    for (sql,) in indexes:
        connection.execute(sql)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


def count_events(path: Path) -> int:
    if not path.exists():
        return -1
    with sqlite3.connect(path) as connection:
        try:
            return connection.execute("SELECT count(*) FROM error_events").fetchone()[0]
        except sqlite3.DatabaseError:
            return -1


def median_ms(session, queries, runs: int, account: str = "default") -> float:
    for query in queries:  # warm
        read_window(session, account, query)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for query in queries:
            read_window(session, account, query)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(session, runs: int) -> list[float]:
    policy = default_policy()
    per_check = [list(check.event_queries(policy, NOW)) for check in CHECKS]
    figures = [median_ms(session, queries, runs) for queries in per_check]
    figures.append(median_ms(session, [query for queries in per_check for query in queries], runs))
    [burst] = Exceptions().event_queries(policy, NOW)
    figures.append(median_ms(session, [burst], runs, account="burst"))
    return figures


def add_burst(database: Database) -> None:
    """5,000 exceptions in the last 5 minutes for the account `burst` (once)."""
    with database.write() as session:
        if session.execute(text("SELECT 1 FROM error_events WHERE account = 'burst'")).first():
            return
        rows = [
            {"ts": stamp(NOW - timedelta(milliseconds=50 * n)), "code": "KeyError"}
            for n in range(BURST)
        ]
        session.execute(
            text(
                "INSERT INTO error_events (ts, account, kind, source, code)"
                " VALUES (:ts, 'burst', 'exception', 'bot', :code)"
            ),
            rows,
        )


def plan(session) -> str:
    [query] = Exceptions().event_queries(default_policy(), NOW)
    sql = (
        "EXPLAIN QUERY PLAN SELECT ts FROM error_events WHERE account = 'default' AND "
        f"kind = '{query.kind}' AND ts > '{stamp(query.since)}' ORDER BY ts DESC, id DESC"
    )
    return "; ".join(row[-1] for row in session.execute(text(sql)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/alert-matrix-bench"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--runs-unindexed", type=int, default=5)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    header = "events | index | api_errors | rejections | exceptions | all three | burst (cap)"
    rows = [header, "---|---|---|---|---|---|---"]
    for size in args.sizes:
        path = args.dir / f"events_{size}.db"
        if count_events(path) < size:
            path.unlink(missing_ok=True)
            started = time.perf_counter()
            fill(path, size)
            print(f"filled {path} with {size:,} events in {time.perf_counter() - started:.0f} s")
        database = Database(f"sqlite:///{path}")
        add_burst(database)
        with database.read() as session:
            print(f"{size:,} events, plan: {plan(session)}")
            indexed = measure(session, args.runs)
        database.close()
        # A fresh connection: SQLite's statement cache could keep plans that used the index.
        database = Database(f"sqlite:///{path}")
        with database.write() as session:
            for name in INDEXES:
                session.execute(text(f"DROP INDEX {name}"))
            print(f"{size:,} events without index, plan: {plan(session)}")
            unindexed = measure(session, args.runs_unindexed)
            session.rollback()
        database.close()
        for label, figures in (("yes", indexed), ("no", unindexed)):
            cells = " | ".join(f"{value:.2f} ms" for value in figures)
            rows.append(f"{size:,} | {label} | {cells}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
