"""`python main.py run`: the APScheduler daemon.

One job per check on its own interval, plus the daemon's own upkeep. Jobs are defined in
code from the configuration (nothing pickled). Each job runs in its own executor thread with
`max_instances=1` and `coalesce`, so a slow or failing check never delays or stops the
others; the executor has a thread for every job. Delivery runs in a thread of its own
(`DeliveryLoop`), woken by the checks that produce a notification.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import UTC
from pathlib import Path

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.schedulers.blocking import BlockingScheduler

from checks.base import Check
from checks.registry import CHECKS, active_checks
from config.loader import Settings
from core import clock
from core.heap import collect_garbage, limit_malloc_arenas, settle_heap
from core.inputs import InputName
from core.keys import alert_key
from core.status import Status
from jobs import deadman, systemd
from jobs.cycle import CycleOptions, CycleReport, batches, prune_when_due, run_fleet
from jobs.delivery_loop import DeliveryLoop
from jobs.executor import StartedThreadPool
from jobs.file_watch import FileWatch
from jobs.health import JobHealth
from jobs.metrics import Metrics
from jobs.runtime import Runtime
from jobs.server import HealthServer, WsgiApp
from jobs.signals import StopSignals
from jobs.triggers import JitteredInterval
from store.account_claims import AccountClaims

log = logging.getLogger(__name__)

DELIVERY_INTERVAL_SECONDS = 2.0
INGEST_INTERVAL_SECONDS = 5.0
RETENTION_INTERVAL_SECONDS = 3600.0
GARBAGE_INTERVAL_SECONDS = 60.0
DEADMAN_INTERVAL_SECONDS = 60.0
CLAIMS_INTERVAL_SECONDS = 2.0
_MAX_JITTER_SECONDS = 5.0

# Builds the page served beside /metrics and /healthz (the status page, from the CLI layer).
PageFactory = Callable[[Runtime, JobHealth], WsgiApp]


def _claims(settings: Settings) -> AccountClaims | None:
    """On PostgreSQL, the runners sharing the database divide the accounts among them."""
    url = settings.app.database_url.get_secret_value()
    if not settings.app.divide_accounts or not url.startswith("postgresql"):
        return None
    return AccountClaims(url)


class CycleFailed(Exception):
    """A check's results could not be recorded (already logged with its traceback)."""


def _outcome(reports: list[CycleReport]) -> str:
    """A check job's outcome over the accounts it evaluated: the worst status; raises when
    an account's results could not be recorded (after every account had its turn)."""
    failures = [report.failure for report in reports if report.failure]
    if failures:
        raise CycleFailed(f"{len(failures)} of {len(reports)} accounts: {failures[0]}")
    statuses = [report.results[0].status for report in reports]
    return Status.worst(statuses).name if statuses else "SKIPPED"


class Daemon:
    def __init__(self, settings: Settings, page: PageFactory | None = None) -> None:
        self.settings = settings
        self._page = page
        self.runtime = Runtime(settings)
        self.health = JobHealth()
        self.metrics = Metrics(self.runtime)
        self.scheduler = BlockingScheduler(timezone=UTC)
        self.server: HealthServer | None = None
        self._jobs: list[tuple[str, float, Callable[[], str]]] = []
        self._options = CycleOptions(prune=False, deliver=False)
        self._one_at_a_time: defaultdict[tuple[str, str], threading.Lock] = defaultdict(
            threading.Lock
        )
        # check -> account -> its last status
        self._statuses: defaultdict[str, dict[str, Status]] = defaultdict(dict)
        self.claims = _claims(settings)
        self.watch: FileWatch | None = None
        self._delivery_every = self._every("delivery", DELIVERY_INTERVAL_SECONDS)
        self.delivery = DeliveryLoop(self._guarded("delivery", self._deliver), self._delivery_every)
        self._signals = StopSignals(on_stop=self._shutdown)

    # ------------------------------------------------------------------ set-up

    def plan(self) -> list[tuple[str, float]]:
        """Every job and its interval, from `schedule:` in app.yaml."""
        checks_default = self._every("default", 30)
        self._jobs = [
            (check.name, self._every(check.name, checks_default), self._check_job(check))
            for check in active_checks(self.settings.app.skip_checks)
        ]
        if any(member.app.paths.error_log_file for member in self.settings.fleet()):
            self._jobs.append(
                ("ingest", self._every("ingest", INGEST_INTERVAL_SECONDS), self._ingest)
            )
        self._jobs.append(
            ("retention", self._every("retention", RETENTION_INTERVAL_SECONDS), self._prune)
        )
        garbage = self._every("garbage", GARBAGE_INTERVAL_SECONDS)
        self._jobs.append(("garbage", garbage, lambda: f"OK {collect_garbage()} freed"))
        if self.claims is not None:
            claims = self._every("claims", CLAIMS_INTERVAL_SECONDS)
            self._jobs.append(("claims", claims, self._balance))
        if self.settings.app.monitoring.deadman_url is not None:
            deadman = self._every("deadman", DEADMAN_INTERVAL_SECONDS)
            self._jobs.append(("deadman", deadman, self._ping_deadman))
        watchdog = systemd.watchdog_interval()
        if watchdog is not None:
            self._jobs.append(("watchdog", watchdog, self._ping_watchdog))
        delivery = ("delivery", self._delivery_every)
        return [delivery, *((name, interval) for name, interval, _ in self._jobs)]

    def _every(self, name: str, default: float) -> float:
        """A job's interval from `schedule:` in app.yaml."""
        return float(self.settings.app.schedule.get(name, default))

    def _schedule_all(self) -> None:
        start = clock.utcnow()
        self.health.register("delivery", self._delivery_every)
        self.scheduler.add_executor(StartedThreadPool(workers=len(self._jobs) + 1))
        for name, interval, function in self._jobs:
            self.health.register(name, interval)
            jitter = min(interval * 0.1, _MAX_JITTER_SECONDS)
            trigger = JitteredInterval(interval, start, jitter)
            self.scheduler.add_job(
                self._guarded(name, function),
                trigger,
                next_run_time=trigger.first_run(),
                id=name,
                name=name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=max(1, int(interval / 2)),
            )

    # ------------------------------------------------------------------ jobs

    def _guarded(self, name: str, function: Callable[[], str]) -> Callable[[], None]:
        """Record every run; a job that raises is logged and counted, never fatal."""

        def run() -> None:
            self.health.started(name)
            try:
                status = function()
            except Exception as error:  # one job's failure must not spread
                log.exception("job %s failed", name)
                self.metrics.job_failures.labels(name).inc()
                self.health.finished(name, "error", f"{type(error).__name__}: {error}")
                self._log_runner_failure(name, error)
            else:
                self.health.finished(name, status)

        return run

    def _check_job(self, check: Check) -> Callable[[], str]:
        """The one cycle of one check for every account; delivery and pruning are the
        daemon's own jobs."""

        def run() -> str:
            reports = [r for batch in batches(self._owned()) for r in self._check(check, batch)]
            return _outcome(reports)

        return run

    def _owned(self) -> list[Runtime]:
        """The accounts this runner evaluates: all of them, or its share of a fleet."""
        fleet = self.runtime.fleet()
        if self.claims is None:
            return fleet
        owned = self.claims.owned()
        return [member for member in fleet if member.settings.account in owned]

    def _balance(self) -> str:
        assert self.claims is not None
        owned = self.claims.balance([member.account for member in self.settings.fleet()])
        return f"OK {len(owned)}"

    def _check(self, check: Check, members: Sequence[Runtime]) -> list[CycleReport]:
        """One check of a batch of accounts, recorded together. A run on the schedule and
        one for a file change wait for each other."""
        with ExitStack() as held:
            for member in members:
                held.enter_context(self._one_at_a_time[(check.name, member.settings.account)])
            reports = run_fleet(members, [check], self._options, evaluated=self._measured)
        if any(report.outgoing for report in reports):
            self.delivery.wake()
        return reports

    def _measured(self, report: CycleReport) -> None:
        """Before the alert state is committed: once delivery can see a notification,
        /metrics already shows the status that caused it (a check's worst over accounts)."""
        for result in report.results:
            of_check = self._statuses[result.name]
            of_check[report.account] = result.status
            worst = Status.worst(of_check.values())
            self.metrics.check_status.labels(result.name).set(int(worst))
            self.metrics.check_last_run.labels(result.name).set(clock.utcnow().timestamp())
            self.metrics.check_duration.labels(result.name).set(report.duration_ms / 1000)
            self.metrics.check_runs.labels(result.name, result.status.name).inc()

    def _deliver(self) -> str:
        report = self.runtime.deliverer.deliver_due()
        self.metrics.deliveries.labels("sent").inc(report.sent)
        self.metrics.deliveries.labels("retrying").inc(report.retrying)
        self.metrics.deliveries.labels("failed").inc(report.failed)
        return "OK" if not report.errors else "DEGRADED"

    def _ingest(self) -> str:
        """The bots' JSON-lines error logs, ingested on their own pace as well as by the
        checks."""
        from errorlog.ingest import ingest_error_log

        bad_lines = 0
        for member in self.settings.fleet():
            path = member.app.paths.error_log_file
            if path is not None:
                found = ingest_error_log(
                    self.runtime.database, path, member.account, clock.utcnow()
                )
                bad_lines += found.bad_lines
        return "DEGRADED" if bad_lines else "OK"

    def _prune(self) -> str:
        pruned = prune_when_due(self.runtime, clock.utcnow())
        return "SKIPPED" if pruned is None else "OK"  # another runner pruned within the hour

    def _ping_deadman(self) -> str:
        if not self.health.healthy(self.scheduler.running)[0]:
            return "SKIPPED"  # a dead-man's switch pinged by a sick daemon tells nothing
        url = self.settings.app.monitoring.deadman_url
        return "OK" if url is not None and deadman.ping(url.get_secret_value()) else "FAILED"

    def _ping_watchdog(self) -> str:
        if self.health.late():
            return "LATE"  # no ping: systemd restarts a daemon whose jobs stopped running
        systemd.notify("WATCHDOG=1")
        return "OK"

    def _log_runner_failure(self, job: str, error: Exception) -> None:
        """The runner's own failures go to the error log too (source: runner)."""
        from store.error_events import record_runner_event

        record_runner_event(
            lambda: self.runtime.database,
            self.settings.account,
            "exception",
            clock.utcnow(),
            code=type(error).__name__,
            message=f"job {job}: {error}"[:2000],
        )

    # ------------------------------------------------------------------ life

    def run(self) -> int:
        """Run until SIGTERM or SIGINT; then finish the running jobs and return 0."""
        self._signals.install()  # a stop requested during start-up is kept, not lost
        limit_malloc_arenas()
        try:
            jobs = self.plan()
            self.metrics.start_at_zero(
                [name for name, _ in jobs],
                [check.name for check in active_checks(self.settings.app.skip_checks)],
            )
            # migrated before the first job, not inside one, with every pooled connection open
            self.runtime.database.open_pool()
            if self.claims is not None:
                self._balance()  # the first runs at start know their accounts
            self._schedule_all()
            server = self.settings.app.server
            if server.enabled:
                self.server = HealthServer(
                    server.host,
                    server.port,
                    self.metrics,
                    self.health,
                    lambda: self.scheduler.running,
                    self._page(self.runtime, self.health) if self._page else None,
                )
                self.server.start()
            self.scheduler.add_listener(self._on_started, EVENT_SCHEDULER_STARTED)
            log.info(
                "alert-matrix daemon starting: %s",
                ", ".join(f"{name} every {interval:g}s" for name, interval in jobs),
            )
            settle_heap()
            self.scheduler.start()
        finally:
            self._signals.close()  # waits for a shutdown in progress
            if self.server is not None:
                self.server.stop()
            if self.claims is not None:
                self.claims.close()  # the others take these accounts over at once
            self.runtime.close()
        log.info("alert-matrix daemon stopped")
        return 0

    def watched_files(self) -> dict[Path, tuple[str, ...]]:
        """Each bot file, and the alert keys (`ACCOUNT:CHECK`) of the scheduled checks that
        read nothing else: a change to it runs them at once (checks that also read the
        exchange keep their pace)."""
        scheduled = active_checks(self.settings.app.skip_checks)
        watched: dict[Path, tuple[str, ...]] = {}
        for member in self.settings.fleet():
            paths = member.app.paths
            files = {
                InputName.KILL_SWITCH: paths.kill_switch_file,
                InputName.BOT_STATE: paths.state_file,
                InputName.ERROR_LOG: paths.error_log_file,
            }
            for source, path in files.items():
                if path is not None:
                    keys = [
                        alert_key(member.account, c.name)
                        for c in scheduled
                        if c.needs and set(c.needs) <= {source}
                    ]
                    watched[path] = (*watched.get(path, ()), *keys)
        return watched

    def _run_now(self, key: str) -> None:
        """A check of one account, run for a change to its file."""
        account, _, name = key.partition(":")
        member = next((m for m in self._owned() if m.settings.account == account), None)
        if member is None:
            return  # another runner's account
        check = CHECKS[name]
        self._guarded(name, lambda: _outcome(self._check(check, [member])))()

    def _on_started(self, _event: SchedulerEvent) -> None:
        self.delivery.start()
        if self.settings.app.watch_files:
            self.watch = FileWatch(self.watched_files(), self._run_now)
            watched = self.watch.start()  # what cannot be watched is polled
            log.info("watching %s", ", ".join(map(str, watched)) or "no file")
        # A signal that came during start-up is waiting: it stops the scheduler at once.
        self._signals.start()
        systemd.notify("READY=1")

    def _shutdown(self, received: signal.Signals) -> None:
        """Stop scheduling, wait for the running jobs, then deliver what they left owing."""
        log.info("%s received: finishing the running jobs", received.name)
        systemd.notify("STOPPING=1")
        if self.watch is not None:
            self.watch.stop()
        self.scheduler.shutdown(wait=True)
        self.delivery.stop()
