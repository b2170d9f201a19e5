"""One cycle, the one path every entry point takes: read the inputs (ingesting the bot's
JSON-lines error log on the way), evaluate, apply the results and write the outbox in one
transaction, prune when due, deliver when asked.

`check` (cron, by hand) runs it with pruning and delivery; each of the daemon's check jobs
runs it for its one check and leaves pruning and delivery to the daemon's own jobs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from checks.base import Check
from core import clock
from core.notification import Notification
from core.results import CheckResult
from jobs.runtime import Runtime
from sources.collect import SourceContext, collect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CycleOptions:
    dry_run: bool = False  # only evaluate: record nothing, notify nothing
    prune: bool = True  # prune old rows when due (at most hourly, shared by every runner)
    deliver: bool = True  # deliver what is due before returning


@dataclass
class CycleReport:
    account: str
    started_at: datetime
    duration_ms: float
    results: list[CheckResult]
    outgoing: list[Notification] = field(default_factory=list)
    failure: str = ""  # why the results could not be recorded or delivered ("" if they were)


def run_cycle(
    runtime: Runtime,
    checks: Sequence[Check],
    options: CycleOptions = CycleOptions(),
    *,
    now: datetime | None = None,
    evaluated: Callable[[CycleReport], None] | None = None,
) -> CycleReport:
    """Run `checks` once as of `now` (default: the clock's). `evaluated` sees the results
    before they are recorded. The results are kept when recording or delivery fails: the
    report says why (`failure`), and the caller says so."""
    report = evaluate(runtime, checks, options.dry_run, now)
    if options.dry_run:
        return report
    if evaluated is not None:
        evaluated(report)
    try:
        record(runtime, report)
        if options.prune:
            _prune(runtime, report.started_at)
        if options.deliver:
            runtime.deliverer.deliver_due()
    except Exception as error:
        log.exception("recording or delivering the results failed")
        report.failure = f"{type(error).__name__}: {error}"
    return report


def run_fleet(
    members: Sequence[Runtime],
    checks: Sequence[Check],
    options: CycleOptions = CycleOptions(),
    *,
    now: datetime | None = None,
) -> list[CycleReport]:
    """The cycle for each account (`Runtime.fleet`), each recorded in its own transaction;
    then pruning and delivery once for them all."""
    each = replace(options, prune=False, deliver=False)
    reports = [run_cycle(member, checks, each, now=now) for member in members[:-1]]
    reports.append(run_cycle(members[-1], checks, options, now=now))
    return reports


def evaluate(
    runtime: Runtime, checks: Sequence[Check], dry_run: bool, now: datetime | None
) -> CycleReport:
    """Evaluate `checks` on one shared set of inputs, each input read once."""
    settings = runtime.settings
    now = now or clock.now(settings.app.tz)
    started = time.perf_counter()
    context = SourceContext(
        settings=settings,
        now=now,
        dry_run=dry_run,
        database=lambda: runtime.database,
        event_queries=tuple(
            q for check in checks for q in check.event_queries(settings.policy, now)
        ),
        shared=runtime.shared,
    )
    inputs = collect((name for check in checks for name in check.needs), context)
    results = [check.run(inputs, settings.policy, now) for check in checks]
    elapsed = (time.perf_counter() - started) * 1000
    return CycleReport(settings.account, now, elapsed, results)


def record(runtime: Runtime, report: CycleReport) -> None:
    """Store the runs, the alert state and the notifications it owes (the outbox) in one
    transaction: a crash leaves either all of it or none, so nothing is lost or doubled."""
    from alerts.service import apply_results
    from notify.routing import enqueue_outgoing
    from store.check_runs import record_runs

    settings = runtime.settings
    with runtime.database.write() as session:
        record_runs(
            session, settings.account, report.results, report.started_at, report.duration_ms
        )
        report.outgoing = apply_results(session, settings, report.results, report.started_at)
        enqueue_outgoing(session, report.outgoing, runtime.channels, report.started_at)


def prune_when_due(runtime: Runtime, now: datetime) -> int | None:
    """Prune old rows if no runner did within the hour; how many went, None if not due."""
    from store.retention import KeepDays, prune_if_due

    app = runtime.settings.app
    keep = KeepDays(app.error_log.retention_days, app.history.retention_days)
    return prune_if_due(runtime.database, keep, now)


def _prune(runtime: Runtime, now: datetime) -> None:
    """Housekeeping must never cost a check its result: a failure is logged and retried."""
    try:
        prune_when_due(runtime, now)
    except Exception:
        log.exception("retention: pruning old rows failed")
