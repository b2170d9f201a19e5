"""/metrics as the Prometheus exposition format reads it: every labelled series present from
the start, and alerts counted by the state `status` shows (a silenced alert is not firing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from alerts.operator import silence
from alerts.status import STATES, read_status
from checks.registry import CHECKS
from core.status import Status
from jobs.cycle import run_cycle
from jobs.metrics import OUTCOMES, Metrics
from jobs.runtime import Runtime
from jobs.settings import load_settings


def _samples(metrics: Metrics) -> dict[tuple[str, tuple], float]:
    text = generate_latest(metrics.registry).decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _runtime(workspace) -> Runtime:
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths: {{state_file: {workspace.state_file}, kill_switch_file: {workspace.kill_switch}}}
        """
    )
    return Runtime(load_settings(workspace.config, environ={}))


def test_every_labelled_series_exists_at_zero_from_the_start(workspace):
    runtime = _runtime(workspace)
    metrics = Metrics(runtime)
    jobs = ["delivery", *CHECKS, "ingest", "retention"]
    metrics.start_at_zero(jobs, list(CHECKS))
    samples = _samples(metrics)
    runtime.close()
    for job in jobs:
        assert samples[("alert_matrix_job_failures_total", (("job", job),))] == 0
    for outcome in OUTCOMES:
        assert samples[("alert_matrix_deliveries_total", (("outcome", outcome),))] == 0
    for check in CHECKS:
        # not evaluated yet: UNKNOWN, never a false OK
        assert samples[("alert_matrix_check_status", (("check", check),))] == int(Status.UNKNOWN)
        for status in Status:
            key = ("alert_matrix_check_runs_total", (("check", check), ("status", status.name)))
            assert samples[key] == 0
    for state in STATES:
        label = state.lower().replace(" ", "_")
        assert ("alert_matrix_alerts", (("state", label),)) in samples


def test_alerts_are_counted_by_the_state_status_shows(workspace):
    runtime = _runtime(workspace)
    metrics = Metrics(runtime)
    workspace.kill_switch.write_text("halt")
    run_cycle(runtime, [CHECKS["kill_switch"]])

    def counted() -> dict[str, float]:
        return {
            labels[0][1]: value
            for (name, labels), value in _samples(metrics).items()
            if name == "alert_matrix_alerts"
        }

    assert counted()["firing"] == 1 and counted()["no_data"] == len(CHECKS) - 1
    with runtime.database.write() as session:
        now = datetime.now(UTC)
        silence(session, "default", "kill_switch", timedelta(hours=1), "bob", "", now)
    with runtime.database.read() as session:
        shown = {row.key: row.state for row in read_status(session, runtime.settings, now, {})}
    assert shown["default:kill_switch"] == "SILENCED"
    assert counted()["silenced"] == 1 and counted()["firing"] == 0
    runtime.close()
