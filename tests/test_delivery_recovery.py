"""A runner killed mid-send: its rows come back at once when it is certainly dead, after one
send's lease otherwise; nothing of other alerts waits for them, and the retry keeps its id."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from core.notification import NotificationKind
from emulator.receiver import WebhookReceiver
from jobs.runtime import Runtime
from jobs.settings import load_settings
from notify.delivery import send_lease
from notify.runners import is_dead, worker_id
from store.models import OutboxItem
from store.outbox import claim_due, enqueue, renew
from tests.channels.sample import notification
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
