"""The daemon: independence of jobs, its own health, systemd, SIGTERM and restarts."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from datetime import datetime

import pytest
import requests

from checks.base import Check, Examples
from checks.registry import CHECKS
from core.inputs import Inputs
from core.results import CheckResult
from core.status import Severity
from emulator.receiver import WebhookReceiver
from jobs.daemon import Daemon
from jobs.health import JobHealth
from jobs.metrics import Metrics
from jobs.runtime import Runtime
from jobs.server import HealthServer
from jobs.settings import load_settings
from tests.conftest import free_port, wait_healthy

pytestmark = pytest.mark.slow


class SlowCheck(Check):
    """A check whose input takes far longer than its interval (an exchange timing out)."""

    name = "slow"
    title = "Slow Check"
    severity = Severity.WARNING
    order = 999
    needs = ()
    runbook = ""

    def evaluate(self, inputs, policy, now: datetime) -> CheckResult:
        time.sleep(2.5)
        raise TimeoutError("the exchange did not answer")

    def examples(self, policy, now: datetime) -> Examples:
        return Examples(Inputs(), Inputs())


def _daemon_with(workspace, monkeypatch, check: Check, schedule: str = "") -> Daemon:
    """A daemon in this process running `kill_switch` and `check` every second (and
    `schedule`'s other intervals)."""
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths: {{kill_switch_file: {workspace.kill_switch}, state_file: {workspace.state_file}}}
        schedule: {{default: 1, delivery: 1, {schedule}}}
        server: {{enabled: false}}
        """
    )
    checks = {"kill_switch": CHECKS["kill_switch"], check.name: check}
    monkeypatch.setattr("checks.registry._ALL", tuple(checks.values()))
    monkeypatch.setattr("checks.registry.CHECKS", checks)
    return Daemon(load_settings(workspace.config, environ={}))


def _run_for(daemon: Daemon, seconds: float) -> None:
    threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGTERM)).start()
    assert daemon.run() == 0  # which restores the signal handlers it replaced


def test_a_slow_failing_check_never_delays_the_others(workspace, monkeypatch):
    daemon = _daemon_with(workspace, monkeypatch, SlowCheck())
    _run_for(daemon, 5.5)
    jobs = daemon.health.snapshot()
    assert jobs["kill_switch"]["runs"] >= 4, jobs  # every second, undisturbed
    assert jobs["slow"]["runs"] <= 3
    assert jobs["slow"]["last_status"] in ("UNKNOWN", None)


class ProbeCheck(Check):
    """A check that notes, each time it runs, the daemon's job threads and how many database
    connections its pool holds open."""

    name = "probe"
    title = "Probe"
    severity = Severity.WARNING
    order = 999
    needs = ()
    runbook = ""

    def __init__(self) -> None:
        self.seen: list[tuple[int, int]] = []
        self.pool = None  # the daemon's, once it is made

    def evaluate(self, inputs, policy, now: datetime) -> CheckResult:
        threads = sum(1 for t in threading.enumerate() if t.name.startswith("job"))
        self.seen.append((threads, self.pool.checkedin() + self.pool.checkedout()))
        raise RuntimeError("a probe, not a real check")

    def examples(self, policy, now: datetime) -> Examples:
        return Examples(Inputs(), Inputs())


def test_every_job_thread_and_pooled_connection_is_open_before_the_first_job(
    workspace, monkeypatch
):
    """Opened lazily, when jobs rarely happened to run together, they made the memory creep
    up for hours; all there from the start, the daemon's footprint is steady."""
    probe = ProbeCheck()
    daemon = _daemon_with(workspace, monkeypatch, probe)
    probe.pool = daemon.runtime.database.engine.pool
    _run_for(daemon, 3.5)
    workers = len(daemon.health.snapshot())  # a thread for each job, delivery included
    assert len(probe.seen) >= 2
    assert set(probe.seen) == {(workers, probe.pool.size())}, probe.seen


def test_the_daemon_frees_garbage_every_schedule_garbage_seconds(workspace, monkeypatch):
    """Left to the collector's own rule, cycles of garbage piled up for half an hour before a
    full collection freed them, and the resident size climbed all that time."""
    daemon = _daemon_with(workspace, monkeypatch, SlowCheck(), schedule="garbage: 1")
    _run_for(daemon, 3.5)
    job = daemon.health.snapshot()["garbage"]
    assert job["runs"] >= 3, job
    assert job["last_status"].startswith("OK") and job["last_status"].endswith("freed"), job


def _configure(workspace, receiver, port: int, extra: str = "") -> None:
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths: {{kill_switch_file: {workspace.kill_switch}, state_file: {workspace.state_file}}}
        schedule: {{default: 1, delivery: 1}}
        server: {{host: 127.0.0.1, port: {port}}}
        monitoring:
          alert_service: {{escalation_seconds: 6, dedupe_seconds: 1}}
        channels:
          # CRITICAL only: without an exchange the exchange checks raise "Check failing"
          # warnings, which are not what these tests watch
          - name: hooks
            type: webhook
            url: "{receiver.url("/hook")}"
            timeout_seconds: 2
            min_severity: CRITICAL
        {extra}
        """
    )


def test_daemon_fires_resolves_stops_cleanly_and_restarts_without_duplicates(workspace):
    port = free_port()
    with WebhookReceiver() as receiver:
        _configure(workspace, receiver, port)
        workspace.write_state({"positions": {}})
        daemon = workspace.spawn("run")
        try:
            health = wait_healthy(port)
            assert health["scheduler_running"] is True and "kill_switch" in health["jobs"]
            workspace.kill_switch.write_text("halt: drill")
            assert receiver.wait_for(1, timeout=10, path="/hook"), workspace.daemon_log
            [firing] = receiver.bodies("/hook")
            assert firing["alert"] == "kill_switch" and firing["status"] == "firing"
            metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
            assert 'alert_matrix_check_status{check="kill_switch"} 2.0' in metrics
            assert 'alert_matrix_alerts{state="firing"}' in metrics
            assert "alert_matrix_outbox" in metrics
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log
        assert "SIGTERM received" in workspace.daemon_log

        # Restarted while still firing: nothing is sent again, and the escalation timer
        # continues from the first firing (escalation_seconds: 6).
        daemon = workspace.spawn("run")
        try:
            wait_healthy(port)
            assert receiver.wait_for(2, timeout=15, path="/hook"), workspace.daemon_log
            time.sleep(2)
            bodies = receiver.bodies("/hook")
            assert len(bodies) == 2, bodies
            assert bodies[1]["escalated"] is True and bodies[1]["notification_count"] == 2
            workspace.kill_switch.unlink()
            assert receiver.wait_for(3, timeout=10, path="/hook")
            assert receiver.bodies("/hook")[2]["status"] == "resolved"
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log


def _wait_for_log(workspace, text: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while text not in workspace.daemon_log:
        assert time.monotonic() < deadline, f"never logged {text!r}:\n{workspace.daemon_log}"
        time.sleep(0.1)


def test_sigterm_while_a_check_is_about_to_fire_finishes_it_and_delivers_the_alert(workspace):
    """The stop waits for the running check, which then owes a notification: no deadlock
    between the two, and the alert goes out before the daemon exits."""
    port = free_port()
    with WebhookReceiver() as receiver:
        _configure(workspace, receiver, port)
        workspace.write_state({"positions": {}})
        os.mkfifo(workspace.kill_switch)  # reading it blocks the check until we write
        daemon = workspace.spawn("run")
        try:
            _wait_for_log(workspace, "daemon starting")
            time.sleep(1.5)  # the kill_switch job is now blocked reading the file
            daemon.send_signal(signal.SIGTERM)
            _wait_for_log(workspace, "SIGTERM received")
            with workspace.kill_switch.open("w") as bot:
                bot.write("halt: drill")
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log
        [firing] = receiver.bodies("/hook")
        assert firing["alert"] == "kill_switch" and firing["status"] == "firing"
        assert "halt: drill" in firing["message"]


def test_systemd_ready_watchdog_stopping_and_deadman(workspace, tmp_path):
    port = free_port()
    notify_path = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify_path)
    listener.settimeout(15)
    with WebhookReceiver() as receiver:
        _configure(
            workspace,
            receiver,
            port,
            f'monitoring: {{deadman_url: "{receiver.url("/ping/abc")}"}}\n'
            "        schedule: {default: 1, delivery: 1, deadman: 1}",
        )
        workspace.write_state({"positions": {}})
        env = {"NOTIFY_SOCKET": notify_path, "WATCHDOG_USEC": "2000000"}
        daemon = workspace.spawn("run", env=env)
        messages: list[str] = []
        try:
            while "WATCHDOG=1" not in messages:
                messages.append(listener.recv(256).decode())
            assert messages[0] == "READY=1"
            assert receiver.wait_for(1, timeout=10, path="/ping/abc"), workspace.daemon_log
            assert receiver.requests[0].method == "GET"
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log
            while "STOPPING=1" not in messages:
                messages.append(listener.recv(256).decode())
            listener.close()


def test_healthz_is_503_when_a_job_is_late_and_200_once_it_ran(workspace):
    workspace.write_app(f"database_url: sqlite:///{workspace.database}\n")
    health = JobHealth(grace=0)
    health.register("reconcile", 0.1)
    metrics = Metrics(Runtime(load_settings(workspace.config, environ={})))
    server = HealthServer("127.0.0.1", 0, metrics, health, running=lambda: True)
    server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        time.sleep(0.3)
        late = requests.get(f"{base}/healthz", timeout=2)
        assert late.status_code == 503 and "reconcile" in late.json()["late_jobs"]
        assert "alert_matrix_healthy 0.0" in requests.get(f"{base}/metrics", timeout=2).text
        health.started("reconcile")
        health.finished("reconcile", "OK")
        answer = requests.get(f"{base}/healthz", timeout=2)
        assert answer.status_code == 200 and answer.json()["jobs"]["reconcile"]["runs"] == 1
    finally:
        server.stop()


def test_two_signals_at_once_stop_it_once_and_cleanly(workspace):
    """Ctrl-C reaches the whole process group while a supervisor may send SIGTERM too."""
    port = free_port()
    workspace.write_app(f"server: {{port: {port}}}\nschedule: {{default: 1}}\n")
    daemon = workspace.spawn("run")
    wait_healthy(port)
    daemon.send_signal(signal.SIGTERM)
    daemon.send_signal(signal.SIGINT)
    assert daemon.wait(timeout=20) == 0
    assert "Traceback" not in workspace.daemon_log, workspace.daemon_log
    assert workspace.daemon_log.count("received: finishing the running jobs") == 1
