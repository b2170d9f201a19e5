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
from collections.abc import Callable
from datetime import UTC

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from checks.base import Check
from checks.registry import active_checks
from config.loader import Settings
from core import clock
from jobs import deadman, systemd
from jobs.cycle import CycleOptions, CycleReport, prune_when_due, run_cycle
from jobs.delivery_loop import DeliveryLoop
from jobs.health import JobHealth
from jobs.metrics import Metrics
from jobs.runtime import Runtime
from jobs.server import HealthServer
from jobs.signals import StopSignals
from jobs.triggers import JitteredInterval

log = logging.getLogger(__name__)

DELIVERY_INTERVAL_SECONDS = 2.0
INGEST_INTERVAL_SECONDS = 5.0
RETENTION_INTERVAL_SECONDS = 3600.0
DEADMAN_INTERVAL_SECONDS = 60.0
_MAX_JITTER_SECONDS = 5.0


class CycleFailed(Exception):
    """A check's results could not be recorded (already logged with its traceback)."""


class Daemon:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runtime = Runtime(settings)
        self.health = JobHealth()
        self.metrics = Metrics(self.runtime)
        self.scheduler = BlockingScheduler(timezone=UTC)
        self.server: HealthServer | None = None
        self._jobs: list[tuple[str, float, Callable[[], str]]] = []
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
        if self.settings.app.paths.error_log_file is not None:
            self._jobs.append(
                ("ingest", self._every("ingest", INGEST_INTERVAL_SECONDS), self._ingest)
            )
        self._jobs.append(
            ("retention", self._every("retention", RETENTION_INTERVAL_SECONDS), self._prune)
        )
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
        self.scheduler.add_executor(ThreadPoolExecutor(max_workers=len(self._jobs) + 1))
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
        """The one cycle for one check; delivery and pruning are the daemon's own jobs."""
        options = CycleOptions(prune=False, deliver=False)

        def run() -> str:
            report = run_cycle(self.runtime, [check], options, evaluated=self._measured)
            if report.failure:
                raise CycleFailed(report.failure)
            if report.outgoing:
                self.delivery.wake()
            return report.results[0].status.name

        return run

    def _measured(self, report: CycleReport) -> None:
        """Before the alert state is committed: once delivery can see a notification,
        /metrics already shows the status that caused it."""
        for result in report.results:
            self.metrics.check_status.labels(result.name).set(int(result.status))
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
        """The bot's JSON-lines error log, ingested on its own pace as well as by the checks."""
        from errorlog.ingest import ingest_error_log

        path = self.settings.app.paths.error_log_file
        assert path is not None  # the job exists only with a file configured
        report = ingest_error_log(
            self.runtime.database, path, self.settings.account, clock.utcnow()
        )
        return "DEGRADED" if report.bad_lines else "OK"

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
        try:
            jobs = self.plan()
            self.metrics.start_at_zero(
                [name for name, _ in jobs],
                [check.name for check in active_checks(self.settings.app.skip_checks)],
            )
            self.runtime.database  # noqa: B018 - migrate before the first job, not inside one
            self._schedule_all()
            server = self.settings.app.server
            if server.enabled:
                self.server = HealthServer(
                    server.host,
                    server.port,
                    self.metrics,
                    self.health,
                    lambda: self.scheduler.running,
                )
                self.server.start()
            self.scheduler.add_listener(self._on_started, EVENT_SCHEDULER_STARTED)
            log.info(
                "alert-matrix daemon starting: %s",
                ", ".join(f"{name} every {interval:g}s" for name, interval in jobs),
            )
            self.scheduler.start()
        finally:
            self._signals.close()  # waits for a shutdown in progress
            if self.server is not None:
                self.server.stop()
            self.runtime.close()
        log.info("alert-matrix daemon stopped")
        return 0

    def _on_started(self, _event: SchedulerEvent) -> None:
        self.delivery.start()
        # A signal that came during start-up is waiting: it stops the scheduler at once.
        self._signals.start()
        systemd.notify("READY=1")

    def _shutdown(self, received: signal.Signals) -> None:
        """Stop scheduling, wait for the running jobs, then deliver what they left owing."""
        log.info("%s received: finishing the running jobs", received.name)
        systemd.notify("STOPPING=1")
        self.scheduler.shutdown(wait=True)
        self.delivery.stop()
