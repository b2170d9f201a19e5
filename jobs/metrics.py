"""Prometheus metrics of the daemon: what each check last found, how the jobs and the
outbox are doing, and alerts by state (read from the database at scrape time).

Every labelled series exists from the start (a counter at 0, a check's status UNKNOWN until
it first runs, never a false OK): a rate() or an absent() alert over a series that appears
only after its first increment would say nothing until then.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from alerts.status import read_status, state_counts
from core import clock
from core.status import Status
from jobs.runtime import Runtime
from store.models import ErrorEvent
from store.outbox import open_counts

OUTCOMES = ("sent", "retrying", "failed")

log = logging.getLogger(__name__)


class Metrics:
    def __init__(self, runtime: Runtime) -> None:
        self.registry = CollectorRegistry()
        labels = {"registry": self.registry}
        self.check_status = Gauge(
            "alert_matrix_check_status",
            "Last status of each check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN",
            ["check"],
            **labels,
        )
        self.check_last_run = Gauge(
            "alert_matrix_check_last_run_timestamp_seconds",
            "When each check last finished (Unix time)",
            ["check"],
            **labels,
        )
        self.check_duration = Gauge(
            "alert_matrix_check_duration_seconds",
            "How long the last run of each check took",
            ["check"],
            **labels,
        )
        self.check_runs = Counter(
            "alert_matrix_check_runs", "Check runs by status", ["check", "status"], **labels
        )
        self.job_failures = Counter(
            "alert_matrix_job_failures", "Job runs that raised", ["job"], **labels
        )
        self.deliveries = Counter(
            "alert_matrix_deliveries",
            "Delivery attempts by outcome (sent, retrying, failed)",
            ["outcome"],
            **labels,
        )
        self.healthy = Gauge("alert_matrix_healthy", "1 while every job runs on time", **labels)
        self.registry.register(StoreCollector(runtime))
        for outcome in OUTCOMES:
            self.deliveries.labels(outcome)

    def start_at_zero(self, jobs: Iterable[str], checks: Iterable[str]) -> None:
        """Every job's and every check's series, before their first run."""
        for job in jobs:
            self.job_failures.labels(job)
        for check in checks:
            self.check_status.labels(check).set(int(Status.UNKNOWN))  # not evaluated yet
            self.check_last_run.labels(check)
            self.check_duration.labels(check)
            for status in Status:
                self.check_runs.labels(check, status.name)


class StoreCollector(Collector):
    """Figures that live in the database, read when Prometheus scrapes."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("alert_matrix_database_up", "1 if the database answered")
        try:
            figures = self._read()
        except Exception as error:  # noqa: BLE001 - a scrape must answer even then
            log.warning("metrics: database unavailable: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        alerts, outbox, exchange_errors = figures
        by_state = GaugeMetricFamily(
            "alert_matrix_alerts", "Alerts by state, as `status` shows them", labels=["state"]
        )
        for state, count in alerts.items():
            by_state.add_metric([state.lower().replace(" ", "_")], count)
        yield by_state
        pending = GaugeMetricFamily(
            "alert_matrix_outbox", "Outbox rows by delivery state", labels=["state"]
        )
        for state in ("pending", "sending", "sent", "failed"):
            pending.add_metric([state], outbox.get(state, 0))
        yield pending
        errors = GaugeMetricFamily(
            "alert_matrix_exchange_errors_last_hour",
            "Failed exchange calls of the runner in the last hour",
        )
        errors.add_metric([], exchange_errors)
        yield errors

    def _read(self) -> tuple[dict[str, int], dict[str, int], int]:
        fleet = self.runtime.settings.fleet()
        now = clock.utcnow()
        since = now - timedelta(hours=1)
        with self.runtime.database.read() as session:
            rows = [row for member in fleet for row in read_status(session, member, now, {})]
            alerts = state_counts(rows)
            outbox = open_counts(session)
            exchange_errors = session.scalar(
                select(func.count())
                .select_from(ErrorEvent)
                .where(
                    ErrorEvent.account.in_([member.account for member in fleet]),
                    ErrorEvent.kind == "api_error",
                    ErrorEvent.source == "runner",
                    ErrorEvent.ts >= since,
                )
            )
        return alerts, outbox, int(exchange_errors or 0)
