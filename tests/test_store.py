"""The store: migrations match the models, SQLite is tuned, concurrent writers never fail."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from store.db import Database
from store.migrate import HEAD_REVISION, MIGRATIONS, ensure_schema
from store.models import Base, CheckRun


def _database(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'data' / 'alerts.db'}")
    ensure_schema(database)
    return database


def test_head_revision_constant_matches_the_migrations():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_migrations_create_exactly_the_models(tmp_path):
    database = _database(tmp_path)
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_with_a_busy_timeout(tmp_path):
    database = _database(tmp_path)
    with database.read() as session:
        assert session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_ensure_schema_is_idempotent(tmp_path):
    database = _database(tmp_path)
    ensure_schema(database)
    with database.read() as session:
        version = session.connection().exec_driver_sql("SELECT version_num FROM alembic_version")
        assert version.scalar() == HEAD_REVISION


def _writer(url: str, worker: int, count: int) -> None:
    database = Database(url)
    for index in range(count):
        with database.write() as session:
            # read then write: the pattern that fails with "database is locked" under a
            # deferred BEGIN when two connections both hold read locks and both upgrade
            session.execute(select(func.count()).select_from(CheckRun)).scalar()
            session.add(
                CheckRun(
                    account=f"w{worker}",
                    check_name="kill_switch",
                    started_at=datetime.now(UTC),
                    duration_ms=0.1,
                    status="OK",
                    summary=str(index),
                )
            )
    database.close()


def _raw_bot(path: str, count: int) -> None:
    """A bot using plain sqlite3 on the same file, as a bot with its own code would."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    for index in range(count):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO check_runs (account, check_name, started_at, duration_ms, status,"
            " summary) VALUES ('bot', 'raw', '2026-11-27 00:00:00', 0, 'OK', ?)",
            (str(index),),
        )
        connection.execute("COMMIT")
    connection.close()


def test_concurrent_writers_never_meet_database_is_locked(tmp_path):
    database = _database(tmp_path)
    path = str(tmp_path / "data" / "alerts.db")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(database.url, n, 150)) for n in range(3)]
    workers.append(context.Process(target=_raw_bot, args=(path, 150)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    with database.read() as session:
        assert session.execute(select(func.count()).select_from(CheckRun)).scalar() == 600
