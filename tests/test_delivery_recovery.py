"""A runner killed mid-send: its rows come back at once when it is certainly dead, after one
send's lease otherwise; nothing of other alerts waits for them, and the retry keeps its id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from core.notification import NotificationKind
from emulator.receiver import Reply, WebhookReceiver
from jobs.runtime import Runtime
from jobs.settings import load_settings
from notify.delivery import send_lease
from notify.runners import is_dead, worker_id
from store.models import OutboxItem
from store.outbox import claim_due, enqueue, renew
from tests.channels.sample import notification
from tests.conftest import free_port
from tests.test_delivery import configure


@pytest.fixture
def receiver():
    with WebhookReceiver() as hooks:
        yield hooks


@pytest.fixture
def runtime(workspace, receiver):
    configure(workspace, receiver, only="hooks")  # timeout_seconds: 2
    runtime = Runtime(load_settings(workspace.config, environ={}))
    yield runtime
    runtime.close()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _crashed_claim(runtime: Runtime, holder: str) -> None:
    """A FIRING and its RESOLVED for one alert, the FIRING claimed by `holder` mid-send (its
    lease far from over), and another alert's row behind them."""
    now = datetime.now(UTC)
    with runtime.database.write() as session:
        enqueue(session, "fire-1", ["hooks"], notification(key="default:kill_switch"), now)
        resolved = notification(key="default:kill_switch", kind=NotificationKind.RESOLVED)
        enqueue(session, "resolve-1", ["hooks"], resolved, now)
        enqueue(session, "other-1", ["hooks"], notification(key="default:drawdown"), now)
        claim_due(session, holder, now, timedelta(hours=1), limit=1)


def _ids(receiver: WebhookReceiver) -> list[str]:
    return [r.headers["X-Alert-Matrix-Notification"] for r in receiver.requests]


def test_the_lease_covers_one_send_not_a_batch(runtime):
    leases = runtime.deliverer.leases
    assert leases["hooks"] == send_lease(2.0) == timedelta(seconds=9)
    assert leases["console"] == timedelta(seconds=25)  # batch_size 50 no longer multiplies it


def test_a_dead_runner_on_this_host_is_released_at_once(runtime, receiver):
    holder = f"{socket.gethostname()}:{_dead_pid()}:deadbeef"
    _crashed_claim(runtime, holder)
    report = runtime.deliverer.deliver_due()
    assert report.sent == 3
    # the same notification id again, then the alert's RESOLVED after it
    assert _ids(receiver).index("fire-1") < _ids(receiver).index("resolve-1")
    assert sorted(_ids(receiver)) == ["fire-1", "other-1", "resolve-1"]


def test_a_live_or_remote_claim_waits_for_its_lease_and_holds_back_only_its_alert(
    runtime, receiver
):
    _crashed_claim(runtime, "elsewhere.example:4242:cafebabe")
    assert runtime.deliverer.deliver_due().sent == 1
    assert _ids(receiver) == ["other-1"]  # another alert is not held back
    with runtime.database.write() as session:  # the lease ends
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.notification_id == "fire-1")
            .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert runtime.deliverer.deliver_due().sent == 2
    assert _ids(receiver) == ["other-1", "fire-1", "resolve-1"]


def test_a_claim_taken_over_after_its_lease_is_not_sent_twice(runtime, receiver):
    now = datetime.now(UTC)
    with runtime.database.write() as session:
        enqueue(session, "fire-1", ["hooks"], notification(), now)
        (claimed,) = claim_due(session, "a:1:x", now, timedelta(seconds=-1), limit=1)
        (taken,) = claim_due(session, "b:2:y", now, timedelta(seconds=60), limit=1)
        assert taken.id == claimed.id
        assert not renew(session, claimed.id, "a:1:x", now + timedelta(seconds=9))
        assert renew(session, taken.id, "b:2:y", now + timedelta(seconds=9))


def test_who_is_certainly_dead():
    host = socket.gethostname()
    assert is_dead(f"{host}:{_dead_pid()}:0badf00d")
    assert not is_dead(f"{host}:{os.getppid()}:0badf00d")  # running
    assert not is_dead(f"another-host:{_dead_pid()}:0badf00d")  # cannot tell from here
    assert not is_dead(None) and not is_dead("garbage")
    # our own pid: ours only if this process made that worker id (else an earlier process
    # with the same pid made it, as PID 1 of a restarted container would)
    assert not is_dead(worker_id())
    assert is_dead(f"{host}:{os.getpid()}:0badf00d")


@pytest.mark.slow
def test_a_daemon_killed_mid_post_resends_at_once_after_restart(workspace):
    """The case found: SIGKILL while the FIRING was in flight left it `sending` for
    timeout x batch + 60 s; the RESOLVED queued behind it came 160 s late."""
    port = free_port()
    with WebhookReceiver() as receiver:
        _configure_daemon(workspace, receiver, port)
        receiver.script(Reply(delay=30))  # the first POST hangs: the daemon dies inside it
        workspace.kill_switch.write_text("halt")
        daemon = workspace.spawn("run")
        try:
            assert receiver.wait_for(1, timeout=30), workspace.daemon_log
        finally:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
        workspace.kill_switch.unlink()  # resolved while the watchdog is down
        restarted = time.monotonic()
        daemon = workspace.spawn("run")
        try:
            assert receiver.wait_for(3, timeout=30), workspace.daemon_log
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log
    first, again, resolved = receiver.requests[:3]
    assert (
        again.headers["X-Alert-Matrix-Notification"] == first.headers["X-Alert-Matrix-Notification"]
    )
    assert (again.body["status"], resolved.body["status"]) == ("firing", "resolved")
    assert resolved.at - restarted < 15  # restart included; the lease was 9 s, not 160


def _configure_daemon(workspace, receiver: WebhookReceiver, port: int) -> None:
    from checks.registry import CHECKS

    skipped = ", ".join(name for name in CHECKS if name != "kill_switch")
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths: {{kill_switch_file: {workspace.kill_switch}, error_log_file: null}}
        schedule: {{default: 1}}
        skip_checks: [{skipped}]
        server: {{port: {port}}}
        channels:
          - {{name: hooks, type: webhook, url: "{receiver.url("/hook")}", timeout_seconds: 2}}
        """
    )
