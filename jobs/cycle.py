"""One cycle, the one path every entry point takes: read the inputs (ingesting the bot's
JSON-lines error log on the way), evaluate, apply the results and write the outbox in one
transaction, prune when due, deliver when asked.

`check` (cron, by hand) runs it with pruning and delivery; each of the daemon's check jobs
runs it for its one check over the accounts it owns and leaves pruning and delivery to the
daemon's own jobs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    return run_fleet([runtime], checks, options, now=now, evaluated=evaluated)[0]


def run_fleet(
    members: Sequence[Runtime],
    checks: Sequence[Check],
    options: CycleOptions = CycleOptions(),
    *,
    now: datetime | None = None,
    evaluated: Callable[[CycleReport], None] | None = None,
) -> list[CycleReport]:
    """The cycle for each account (`Runtime.fleet`, all sharing one database): each account
    evaluated on its own inputs, and the results of each batch of `BATCH_ACCOUNTS` accounts
    recorded in one transaction; then pruning and delivery once for them all."""
    if options.dry_run:
        return [evaluate(member, checks, True, now) for member in members]
    reports: list[CycleReport] = []
    for batch in batches(members):
        evaluations = [(member, evaluate(member, checks, False, now)) for member in batch]
        reports += [report for _, report in evaluations]
        if evaluated is not None:
            for _, report in evaluations:
                evaluated(report)
        _record_batch(evaluations)
    if not members:
        return reports
    runtime = members[0]
    try:
        if options.prune:
            _prune(runtime, reports[0].started_at)
        if options.deliver:
            runtime.deliverer.deliver_due()
    except Exception as error:
        log.exception("delivering the results failed")
        for report in reports:
            report.failure = report.failure or f"{type(error).__name__}: {error}"
    return reports


# Accounts whose results share one write transaction: one lock and one commit for many
# accounts, short enough that a file change waits little for the write lock.
BATCH_ACCOUNTS = 25


def batches(members: Sequence[Runtime]) -> list[Sequence[Runtime]]:
    """`members` in batches of `BATCH_ACCOUNTS`, in order."""
    return [members[i : i + BATCH_ACCOUNTS] for i in range(0, len(members), BATCH_ACCOUNTS)]


def _record_batch(batch: list[tuple[Runtime, CycleReport]]) -> None:
    """One transaction for the batch; if it fails, each account alone, so one account's
    failure costs no other its results."""
    try:
        record(batch)
        return
    except Exception as error:
        if len(batch) == 1:
            log.exception("recording the results failed")
            batch[0][1].failure = f"{type(error).__name__}: {error}"
            return
    for pair in batch:
        pair[1].outgoing = []
        _record_batch([pair])


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


def record(batch: Sequence[tuple[Runtime, CycleReport]]) -> None:
    """Store the runs, the alert state and the notifications they owe (the outbox) of each
    (account, report) in one transaction: a crash leaves either all of it or none, so
    nothing is lost or doubled."""
    from alerts.service import Evaluated, apply_batch
    from notify.routing import enqueue_outgoing
    from store.check_runs import record_runs

    with batch[0][0].database.write() as session:
        for runtime, report in batch:
            account = runtime.settings.account
            record_runs(session, account, report.results, report.started_at, report.duration_ms)
        evaluated = [
            Evaluated(r.settings, report.results, report.started_at) for r, report in batch
        ]
        owed = apply_batch(session, evaluated)
        for (runtime, report), outgoing in zip(batch, owed, strict=True):
            report.outgoing = outgoing
            enqueue_outgoing(session, outgoing, runtime.channels, report.started_at)


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
