"""A status page over a real, migrated database filled by the real check cycle."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

import pytest
from werkzeug.test import Client

from checks.registry import CHECKS
from jobs import cycle
from jobs.runtime import Runtime
from store.equity_snapshots import SnapshotHistory
from tests.helpers import settings
from web.app import StatusPage
from web.auth import Credential

TOKEN = "correct-horse-battery"
HOSTILE = "<script>document.title='pwned'</script> halt by <b>ops</b>"


@pytest.fixture
def page_settings(database, tmp_path):
    kill_switch = tmp_path / "KILL_SWITCH"
    state = tmp_path / "state.json"
    state.write_text('{"positions": {}}')
    return settings(
        database, paths={"kill_switch_file": str(kill_switch), "state_file": str(state)}
    )


def run_checks(page_settings, *names: str) -> None:
    """One real cycle of these checks, recorded (alert state, history, outbox)."""
    runtime = Runtime(page_settings)
    try:
        options = cycle.CycleOptions(prune=False, deliver=False)
        report = cycle.run_cycle(runtime, [CHECKS[name] for name in names], options)
        assert not report.failure, report.failure
    finally:
        runtime.close()


@pytest.fixture
def firing(page_settings):
    """The kill switch firing, its file holding markup."""
    page_settings.app.paths.kill_switch_file.write_text(HOSTILE)
    run_checks(page_settings, "kill_switch")
    return page_settings


def add_snapshots(database, start: datetime, values: list[float], every: timedelta) -> None:
    with database.write() as session:
        history = SnapshotHistory(session, "default", "USD")
        for index, value in enumerate(values):
            history.add(start + every * index, value)


def client(page_settings, database, token: str | None = TOKEN) -> Client:
    return Client(StatusPage(page_settings, lambda: database, credential=Credential(token)))


def basic(user: str, password: str = TOKEN) -> dict[str, str]:
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}
