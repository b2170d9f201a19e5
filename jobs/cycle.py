"""One evaluation cycle: sources -> checks -> alert state -> notifications owed."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from checks.base import Check, CheckResult
from core import clock
from jobs.runtime import Runtime
from sources.collect import SourceContext, collect

if TYPE_CHECKING:
    from alerts.service import Outgoing


@dataclass
class CycleReport:
    started_at: datetime
    duration_ms: float
    results: list[CheckResult]
    outgoing: list[Outgoing] = field(default_factory=list)


def evaluate(runtime: Runtime, checks: Sequence[Check], *, dry_run: bool = False) -> CycleReport:
    """Evaluate `checks` on one shared set of inputs (each input read once)."""
    settings = runtime.settings
    now = clock.now(settings.app.tz)
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
    """Store the runs and the alert state, and the notifications owed, in one transaction."""
    from alerts.service import apply_results
    from store.check_runs import record_runs

    settings = runtime.settings
    with runtime.database.write() as session:
        record_runs(
            session, settings.account, report.results, report.started_at, report.duration_ms
        )
        report.outgoing = apply_results(session, settings, report.results, report.started_at)


def run_cycle(runtime: Runtime, checks: Sequence[Check], *, dry_run: bool = False) -> CycleReport:
    report = evaluate(runtime, checks, dry_run=dry_run)
    if not dry_run:
        record(runtime, report)
    return report
