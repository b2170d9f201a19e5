"""Small builders for unit tests of pure checks."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from config.loader import Settings
from config.models import AppConfig
from config.policy import Policy
from jobs import cycle
from jobs.runtime import Runtime
from jobs.settings import SCHEMA
from jobs.settings import policy as policy_from_document
from store.error_events import NewEvent, add_events
from store.models import ErrorEvent


def policy(**sections: dict) -> Policy:
    """A Policy with some sections overridden, e.g. policy(monitoring={"x": 1})."""
    return policy_from_document(sections)


def path(name: str = "data/state.json") -> Path:
    return Path(name)


def settings(database, error_log_file: Path | None = None, policy_: Policy | None = None, **app):
    """Settings pointing at a test database, with an optional JSON-lines error log."""
    config = AppConfig.model_validate(
        {"database_url": database.url, "paths": {"error_log_file": error_log_file}, **app}
    )
    return Settings(Path("."), config, policy_ or policy(), SCHEMA, frozenset())


def add_event(database, kind: str, ts, **fields) -> None:
    """One event written the way every writer writes it."""
    with database.write() as session:
        add_events(session, [NewEvent(kind=kind, ts=ts, **fields)])


def stored_events(database, kind: str | None = None) -> list:
    query = select(ErrorEvent).order_by(ErrorEvent.id)
    if kind is not None:
        query = query.where(ErrorEvent.kind == kind)
    with database.read() as session:
        return list(session.execute(query).scalars())


def evaluate(settings_, check, dry_run: bool = True):
    """One real cycle (sources -> check) at the clock's now, as the runner would run it."""
    runtime = Runtime(settings_)
    try:
        return cycle.evaluate(runtime, [check], dry_run, None).results[0]
    finally:
        runtime.close()


def run_together(*work) -> None:
    """Run the callables in threads at the same time; return when all are done."""
    import threading

    threads = [threading.Thread(target=function) for function in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
