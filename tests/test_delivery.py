"""Lifecycle and delivery against a real HTTP receiver on 127.0.0.1, time driven by freezegun."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from alerts.operator import acknowledge, silence
from checks.registry import CHECKS
from emulator.receiver import Reply, WebhookReceiver
from jobs.cycle import run_cycle
from jobs.runtime import Runtime
from jobs.settings import load_settings
from notify.delivery import Deliverer
from store.outbox import enqueue
from tests.channels.sample import notification
from tests.conftest import MAIN
from tests.helpers import run_together

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
WEBHOOK_FIELDS = {
    "version",
    "key",
    "account",
    "alert",
    "title",
    "severity",
    "status",
    "escalated",
    "message",
    "context",
    "first_seen",
    "last_seen",
    "notification_count",
    "runbook",
}


@pytest.fixture
def receiver():
    with WebhookReceiver() as hooks:
        yield hooks


def configure(workspace, receiver, extra: str = "", only: str | None = None) -> None:
    def entry(name: str, kind: str, path: str, more: str = "") -> str:
        return (
            f'{{name: {name}, type: {kind}, url: "{receiver.url(path)}", timeout_seconds: 2{more}}}'
        )

    channels = {
        "hooks": entry("hooks", "webhook", "/hook"),
        "slack": entry("slack", "slack", "/slack"),
        "pager": entry("pager", "pagerduty", "/pd", ", routing_key: R0UT1NGKEY, escalation: true"),
    }
    listed = "\n".join(
        f"          - {text}" for name, text in channels.items() if only in (None, name)
    )
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths:
          state_file: {workspace.state_file}
          kill_switch_file: {workspace.kill_switch}
        monitoring:
          alert_service:
            dedupe_seconds: 60
            escalation_seconds: 120
            repeat_seconds: 3600
        delivery:
          backoff_initial_seconds: 5
          backoff_max_seconds: 300
          budget_seconds: 5
        channels:
{listed}
        {extra}
        """
    )


def cycle(runtime: Runtime) -> None:
    """One `check kill_switch` as cron would run it: evaluate, record, deliver what is due."""
    run_cycle(runtime, [CHECKS["kill_switch"]])
    runtime.deliverer.deliver_due()


@pytest.fixture
def runtime(workspace, receiver):
    configure(workspace, receiver)
    runtime = Runtime(load_settings(workspace.config, environ={}))
    yield runtime
    runtime.close()


def test_webhook_body_has_exactly_the_spec_fields(workspace, runtime, receiver):
    workspace.kill_switch.write_text("halt")
    with freeze_time(T0):
        cycle(runtime)
    [body] = receiver.bodies("/hook")
    assert set(body) == WEBHOOK_FIELDS
    assert body["key"] == "default:kill_switch" and body["status"] == "firing"
    assert body["escalated"] is False and body["notification_count"] == 1
    assert body["context"]["content"] == "halt"
    [request] = [r for r in receiver.requests if r.path == "/hook"]
    assert request.headers["X-Alert-Matrix-Notification"]


def test_dedupe_escalation_reminder_ack_and_resolution(workspace, runtime, receiver):
    workspace.kill_switch.write_text("halt")
    with freeze_time(T0) as frozen:
        cycle(runtime)
        assert len(receiver.bodies("/hook")) == 1 and len(receiver.bodies("/slack")) == 1
        assert receiver.bodies("/pd") == []  # the pager waits for an escalation

        frozen.tick(timedelta(seconds=60))
        cycle(runtime)
        assert len(receiver.bodies("/hook")) == 1  # deduplicated

        frozen.tick(timedelta(seconds=60))  # 120 s: unacknowledged -> escalate
        cycle(runtime)
        escalated = receiver.bodies("/hook")[-1]
        assert escalated["escalated"] is True and escalated["notification_count"] == 2
        [trigger] = receiver.bodies("/pd")
        assert trigger["event_action"] == "trigger"
        assert trigger["dedup_key"] == "default:kill_switch"
        assert trigger["routing_key"] == "R0UT1NGKEY"
        assert trigger["payload"]["severity"] == "critical"
        assert trigger["payload"]["custom_details"]["content"] == "halt"
        slack = receiver.bodies("/slack")[-1]
        assert "ESCALATED" in slack["blocks"][0]["text"]["text"]

        frozen.tick(timedelta(seconds=3599))
        cycle(runtime)
        assert len(receiver.bodies("/hook")) == 2
        frozen.tick(timedelta(seconds=1))  # reminder every repeat_seconds
        cycle(runtime)
        assert len(receiver.bodies("/hook")) == 3 and len(receiver.bodies("/pd")) == 2

        with runtime.database.write() as session:
            acknowledge(session, "default:kill_switch", "alice", datetime.now(UTC))
        frozen.tick(timedelta(hours=5))
        cycle(runtime)
        assert len(receiver.bodies("/hook")) == 3  # acknowledged: no more reminders

        workspace.kill_switch.unlink()
        frozen.tick(timedelta(seconds=1))
        cycle(runtime)
    resolved = receiver.bodies("/hook")[-1]
    assert resolved["status"] == "resolved" and resolved["key"] == "default:kill_switch"
    assert receiver.bodies("/pd")[-1] == {
        "routing_key": "R0UT1NGKEY",
        "event_action": "resolve",
        "dedup_key": "default:kill_switch",
    }


def test_500_then_429_then_200_is_delivered_exactly_once(workspace, receiver):
    configure(workspace, receiver, only="hooks")
    runtime = Runtime(load_settings(workspace.config, environ={}))
    receiver.script(Reply(500, body="boom"), Reply(429, {"Retry-After": "30"}, "slow down"))
    workspace.kill_switch.write_text("halt")
    with freeze_time(T0) as frozen:
        cycle(runtime)
        assert [r.answered for r in receiver.requests] == [500]
        frozen.tick(timedelta(seconds=4))
        runtime.deliverer.deliver_due()
        assert len(receiver.requests) == 1  # backing off: 5 s after the first attempt
        frozen.tick(timedelta(seconds=1))
        runtime.deliverer.deliver_due()
        assert [r.answered for r in receiver.requests] == [500, 429]
        frozen.tick(timedelta(seconds=29))
        runtime.deliverer.deliver_due()
        assert len(receiver.requests) == 2  # Retry-After: 30 honoured
        frozen.tick(timedelta(seconds=1))
        runtime.deliverer.deliver_due()
        frozen.tick(timedelta(minutes=10))
        runtime.deliverer.deliver_due()
    runtime.close()
    assert [r.answered for r in receiver.requests] == [500, 429, 200]
    assert len({r.headers["X-Alert-Matrix-Notification"] for r in receiver.requests}) == 1
    assert _outbox_states(workspace) == {"hooks": "sent", "console": "sent"}


def test_client_error_fails_for_good_and_is_shown(workspace, receiver):
    configure(workspace, receiver)
    receiver.default = Reply(404, body="no_service")
    workspace.kill_switch.write_text("halt")
    workspace.run("check", "kill_switch")
    requests_after_first = len(receiver.requests)
    workspace.run("check", "kill_switch")
    assert len(receiver.requests) == requests_after_first  # a 404 is not retried
    status = workspace.run("status")
    line = next(line for line in status.stdout.splitlines() if "default:kill_switch" in line)
    assert "2 failed" in line and "HTTP 404: no_service" in line
    history = workspace.run("history", "--key", "kill_switch")
    assert "-> hooks: failed after 1 attempt (HTTP 404: no_service)" in history.stdout


def test_silence_mutes_until_it_expires(workspace, runtime, receiver):
    workspace.kill_switch.write_text("halt")
    with freeze_time(T0) as frozen:
        with runtime.database.write() as session:
            silence(session, "default", "kill_switch", timedelta(hours=1), "bob", "", T0)
        cycle(runtime)
        assert receiver.bodies("/hook") == []
        frozen.tick(timedelta(minutes=59))
        cycle(runtime)
        assert receiver.bodies("/hook") == []
        frozen.tick(timedelta(minutes=1, seconds=1))
        cycle(runtime)
    [late] = receiver.bodies("/hook")
    assert late["status"] == "firing" and late["notification_count"] == 1


def test_disabled_alerts_are_evaluated_not_notified(workspace, receiver):
    configure(
        workspace,
        receiver,
        'monitoring: {alert_service: {disabled_alerts: ["Kill Switch Activated"]}}',
    )
    workspace.kill_switch.write_text("halt")
    result = workspace.run("check", "kill_switch")
    assert result.returncode == 2
    assert receiver.requests == []
    status = workspace.run("status").stdout
    assert "SILENCED" in status and "disabled in app.yaml" in status


def test_two_runners_deliver_each_row_once(workspace, receiver):
    configure(workspace, receiver, only="hooks")
    runtime = Runtime(load_settings(workspace.config, environ={}))
    now = datetime.now(UTC)
    with runtime.database.write() as session:
        for index in range(60):
            enqueue(session, f"id-{index}", ["hooks"], notification(key=f"default:k{index}"), now)
    # the same receivers, another worker id
    second = Deliverer(runtime.database, runtime.channels, runtime.settings.app.delivery)
    run_together(runtime.deliverer.deliver_due, second.deliver_due)
    runtime.close()
    ids = [r.headers["X-Alert-Matrix-Notification"] for r in receiver.requests]
    assert sorted(ids) == sorted(f"id-{index}" for index in range(60))


def test_a_crash_between_state_change_and_delivery_loses_and_doubles_nothing(workspace, receiver):
    configure(workspace, receiver)
    workspace.kill_switch.write_text("halt")
    # A runner that commits the state change and its outbox rows, then dies at once.
    crash = textwrap.dedent(
        f"""
        import os
        from jobs.settings import load_settings
        from checks.registry import CHECKS
        from jobs.cycle import CycleOptions, run_cycle
        from jobs.runtime import Runtime
        runtime = Runtime(load_settings({str(workspace.config)!r}))
        run_cycle(runtime, [CHECKS["kill_switch"]], CycleOptions(deliver=False))
        os._exit(9)
        """
    )
    # Dying inside the transaction (after the alert row changed, while writing the outbox)
    # leaves nothing of it behind...
    inside = crash.replace(
        "run_cycle(",
        "import notify.routing as r\nr.enqueue_outgoing = lambda *a: os._exit(7)\nrun_cycle(",
    )
    assert subprocess.run([sys.executable, "-c", inside], cwd=MAIN.parent).returncode == 7
    with sqlite3.connect(workspace.database) as connection:
        assert connection.execute("SELECT count(*) FROM alerts").fetchone() == (0,)
    # ...and dying right after the commit leaves the notifications waiting in the outbox.
    died = subprocess.run([sys.executable, "-c", crash], cwd=MAIN.parent, capture_output=True)
    assert died.returncode == 9
    assert receiver.requests == []
    assert set(_outbox_states(workspace).values()) == {"pending"}
    # The next ordinary run delivers what the first committed, once, and re-notifies nothing.
    workspace.run("check", "kill_switch")
    workspace.run("check", "kill_switch")
    assert len(receiver.bodies("/hook")) == 1
    assert len(receiver.bodies("/slack")) == 1


def test_webhook_secret_never_reaches_database_or_output(workspace, receiver):
    secret_url = receiver.url("/services/T0SECRET/B0SECRET/XoXoTOKEN")
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths: {{kill_switch_file: {workspace.kill_switch}, state_file: {workspace.state_file}}}
        monitoring: {{alert_service: {{webhook_url: "${{ALERT_WEBHOOK_URL}}"}}}}
        """
    )
    env = {"ALERT_WEBHOOK_URL": secret_url}
    receiver.script(Reply(500, body=f"error at {secret_url}"), Reply(400, body=secret_url))
    workspace.kill_switch.write_text("halt")
    outputs = [workspace.run("check", "kill_switch", env=env)]
    outputs.append(workspace.run("test-alerts", "--production-scenarios", env=env))
    outputs += [workspace.run(c, env=env) for c in ("status", "history", "config")]
    outputs.append(workspace.run("config", "check", env=env))
    assert receiver.requests, "the receiver was reached"
    for output in outputs:
        assert "XoXoTOKEN" not in output.stdout + output.stderr
    for file in workspace.data.iterdir():
        assert b"XoXoTOKEN" not in file.read_bytes(), file.name


def test_test_alerts_reach_every_channel_without_touching_state(workspace, receiver):
    configure(workspace, receiver)
    result = workspace.run("test-alerts", "--production-scenarios")
    assert result.returncode == 0, result.stdout + result.stderr
    bodies = receiver.bodies("/hook")
    assert {body["alert"] for body in bodies} == set(CHECKS)
    assert {body["status"] for body in bodies} == {"test"}
    for body in bodies:  # what a real alert of that check would tell the operator to do
        assert body["context"]["action"] == CHECKS[body["alert"]].action
    # the real check's own words on its own example inputs, under the policy in force
    by_alert = {body["alert"]: body for body in bodies}
    assert by_alert["daily_loss"]["message"].endswith(
        "since the start of the day: 10,132.50 USD against 10,500.00 USD; limit -3%"
    )
    assert by_alert["rejections"]["context"]["rejection_reasons"] == {
        "INSUFFICIENT_FUNDS": 3,
        "INVALID_PRICE": 1,
    }
    pager = receiver.bodies("/pd")
    assert [event["event_action"] for event in pager] == ["trigger", "resolve"] * len(CHECKS)
    assert all(event["dedup_key"].startswith("test:") for event in pager)
    with sqlite3.connect(workspace.database) as connection:
        assert connection.execute("SELECT count(*) FROM alerts").fetchone() == (0,)
    assert "hooks" in result.stdout and f"{len(CHECKS)}/{len(CHECKS)}" in result.stdout


def test_test_alerts_exit_1_when_a_channel_fails(workspace, receiver):
    configure(workspace, receiver)
    receiver.default = Reply(403, body="invalid_token")
    result = workspace.run("test-alerts", "--channel", "hooks")
    assert result.returncode == 1
    assert "HTTP 403: invalid_token" in result.stdout


def _outbox_states(workspace) -> dict[str, str]:
    with sqlite3.connect(workspace.database) as connection:
        return dict(connection.execute("SELECT channel, state FROM outbox"))


def test_check_all_from_cron_pings_the_deadman_switch(workspace, receiver):
    configure(workspace, receiver, f'monitoring: {{deadman_url: "{receiver.url("/ping")}"}}')
    workspace.write_state({"positions": {}})
    workspace.run("check", "all")
    assert [r.method for r in receiver.requests if r.path == "/ping"] == ["GET"]
    workspace.run("check", "all", "--dry-run")
    workspace.run("check", "kill_switch")
    assert len([r for r in receiver.requests if r.path == "/ping"]) == 1
