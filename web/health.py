"""The watchdog's own health for the board: every job's last run, and the delivery backlog.

Under the daemon the jobs are its scheduler's (in-process, on the monotonic clock); a cron
set-up has no scheduler, so its checks' runs are read from `check_runs` instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import CheckRun
from store.outbox import FAILED, PENDING, SENDING, open_counts

JobSnapshot = Callable[[], dict[str, dict[str, Any]]]  # JobHealth.snapshot
FAILURE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class JobLine:
    name: str
    interval: float | None
    last_run: datetime | None
    duration_s: float | None
    status: str
    runs: int | None  # None: not counted (read from check_runs)
    failures: int
    error: str


@dataclass(frozen=True)
class Health:
    source: str  # "daemon" or "check runs"
    jobs: list[JobLine]
    backlog: int  # notifications waiting to be delivered
    failed: int  # notifications that failed for good


def watchdog_health(
    session: Session, account: str, checks: list[str], now: datetime, jobs: JobSnapshot | None
) -> Health:
    counts = open_counts(session)
    lines = _daemon_jobs(jobs(), now) if jobs else _check_runs(session, account, checks, now)
    return Health(
        "daemon" if jobs else "check runs",
        lines,
        counts.get(PENDING, 0) + counts.get(SENDING, 0),
        counts.get(FAILED, 0),
    )


def _daemon_jobs(snapshot: dict[str, dict[str, Any]], now: datetime) -> list[JobLine]:
    monotonic = time.monotonic()

    def wall(moment: float | None) -> datetime | None:
        return None if moment is None else now - timedelta(seconds=monotonic - moment)

    return [
        JobLine(
            name,
            job["interval"],
            wall(job["last_finished"]),
            job["last_duration"],
            job["last_status"] or "not run yet",
            job["runs"],
            job["failures"],
            job["last_error"] or "",
        )
        for name, job in snapshot.items()
    ]


def _check_runs(session: Session, account: str, checks: list[str], now: datetime) -> list[JobLine]:
    """The newest run of every check, and its runs that could not evaluate in the last day:
    two queries whatever the number of checks, each an index look-up per check (a month of
    cron runs is never scanned)."""
    if not checks:
        return []
    of_account = CheckRun.account == account
    newest = [
        select(CheckRun.id)
        .where(of_account, CheckRun.check_name == name)
        .order_by(CheckRun.started_at.desc())
        .limit(1)
        .scalar_subquery()
        for name in checks
    ]
    runs = {
        run.check_name: run
        for run in session.scalars(select(CheckRun).where(CheckRun.id.in_(newest)))
    }
    failures = dict(
        session.execute(
            select(CheckRun.check_name, func.count())
            .where(
                of_account,
                CheckRun.check_name.in_(checks),
                CheckRun.started_at >= now - FAILURE_WINDOW,
                CheckRun.error.is_not(None),
            )
            .group_by(CheckRun.check_name)
        ).all()
    )
    lines = []
    for name in checks:
        run = runs.get(name)
        if run is None:
            lines.append(JobLine(name, None, None, None, "not run yet", None, 0, ""))
            continue
        lines.append(
            JobLine(
                name,
                None,
                run.started_at,
                run.duration_ms / 1000,
                run.status,
                None,
                failures.get(name, 0),
                run.error or "",
            )
        )
    return lines
