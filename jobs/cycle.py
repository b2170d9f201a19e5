"""One evaluation cycle: sources -> checks -> alert state -> notifications owed."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from checks.base import Check
from core import clock
from core.results import CheckResult
from jobs.runtime import Runtime
from sources.collect import SourceContext, collect

if TYPE_CHECKING:
    from alerts.service import Outgoing

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    started_at: datetime
    duration_ms: float
    results: list[CheckResult]
    outgoing: list[Outgoing] = field(default_factory=list)


def evaluate(
    runtime: Runtime,
    checks: Sequence[Check],
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> CycleReport:
    """Evaluate `checks` on one shared set of inputs (each input read once), as of `now`
    (default: the clock's now)."""
    settings = runtime.settings
    now = now or clock.now(settings.app.tz)
    started = time.perf_counter()
    context = SourceContext(
        settings=settings,
        now=now,
        dry_run=dry_run,
        database=lambda: runtime.database,
        checks=checks,
        shared=runtime.shared,
    )
    inputs = collect((name for check in checks for name in check.needs), context)
    results = [check.run(inputs, settings.policy, now) for check in checks]
    return CycleReport(now, (time.perf_counter() - started) * 1000, results)


def record(runtime: Runtime, report: CycleReport) -> None:
    """Store the runs, the alert state and the notifications it owes (the outbox) in one
    transaction: a crash leaves either all of it or none, so nothing is lost or doubled."""
    from alerts.service import apply_results
    from notify.routing import enqueue_outgoing
    from store.check_runs import record_runs

    settings = runtime.settings
    channels = runtime.channels
    with runtime.database.write() as session:
        record_runs(
            session, settings.account, report.results, report.started_at, report.duration_ms
        )
        report.outgoing = apply_results(session, settings, report.results, report.started_at)
        enqueue_outgoing(session, report.outgoing, channels, report.started_at)


def _housekeeping(runtime: Runtime, now: datetime) -> None:
    """Prune old rows by the way (at most hourly), so a cron set-up needs no other job (the
    daemon has its own retention job).
    Housekeeping must never cost a check its result: a failure is logged and retried."""
    from store.retention import prune_if_due

    try:
        prune_if_due(runtime.database, runtime.settings, now)
    except Exception:
        log.exception("retention: pruning old rows failed")


def run_cycle(runtime: Runtime, checks: Sequence[Check], *, dry_run: bool = False) -> CycleReport:
    report = evaluate(runtime, checks, dry_run=dry_run)
    if not dry_run:
        record(runtime, report)
        _housekeeping(runtime, report.started_at)
    return report
