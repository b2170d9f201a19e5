"""PostgreSQL by URL: the same schema, safe claims and one notification with two runners."""

from __future__ import annotations

import functools
import threading
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from checks.registry import CHECKS
from emulator.receiver import WebhookReceiver
from jobs.cycle import run_cycle
from jobs.runtime import Runtime
from jobs.settings import load_settings
from store.db import Database
from store.migrate import ensure_schema
from store.models import Base
from store.outbox import enqueue
from tests.channels.sample import notification
from tests.helpers import run_together

pytestmark = pytest.mark.postgres


def test_migrations_create_exactly_the_models(pg_url):
    database = Database(pg_url)
    ensure_schema(database)
    ensure_schema(database)  # idempotent, and concurrent starts are locked
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    database.close()


def _runtime(workspace, pg_url, receiver) -> Runtime:
    workspace.write_app(
        f"""
        database_url: {pg_url}
        paths: {{kill_switch_file: {workspace.kill_switch}, state_file: {workspace.state_file}}}
        channels:
          - {{name: hooks, type: webhook, url: "{receiver.url("/hook")}", timeout_seconds: 2}}
        """
    )
    return Runtime(load_settings(workspace.config, environ={}))


def test_two_runners_on_one_database_notify_once(workspace, pg_url):
    workspace.kill_switch.write_text("halt")
    with WebhookReceiver() as receiver:
        runners = [_runtime(workspace, pg_url, receiver) for _ in range(2)]
        ensure_schema(runners[0].database)  # migrate once, before the race
        barrier = threading.Barrier(len(runners))

        def runner(runtime: Runtime) -> None:
            for _ in range(5):
                barrier.wait()
                run_cycle(runtime, [CHECKS["kill_switch"]])
                runtime.deliverer.deliver_due()

        run_together(*(functools.partial(runner, r) for r in runners))
        for runtime in runners:
            runtime.close()
    assert len(receiver.bodies("/hook")) == 1


def test_concurrent_claims_skip_locked_rows(workspace, pg_url):
    with WebhookReceiver() as receiver:
        runners = [_runtime(workspace, pg_url, receiver) for _ in range(3)]
        now = datetime.now(UTC)
        with runners[0].database.write() as session:
            for index in range(90):
                alert = notification(key=f"default:k{index}")
                enqueue(session, f"id-{index}", ["hooks"], alert, now)
        run_together(*(r.deliverer.deliver_due for r in runners))
        for runtime in runners:
            runtime.close()
    ids = sorted(r.headers["X-Alert-Matrix-Notification"] for r in receiver.requests)
    assert ids == sorted(f"id-{index}" for index in range(90))


def test_check_cli_on_postgres(workspace, pg_url):
    workspace.write_app(
        f"database_url: {pg_url}\npaths: {{kill_switch_file: {workspace.kill_switch}}}\n"
    )
    workspace.kill_switch.write_text("halt")
    first = workspace.run("check", "kill_switch")
    assert first.returncode == 2 and "FIRING default:kill_switch" in first.stderr
    assert "FIRING" not in workspace.run("check", "kill_switch").stderr
    status = workspace.run("status")
    assert "default:kill_switch" in status.stdout and "FIRING" in status.stdout
