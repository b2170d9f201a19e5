"""Schema migrations, applied automatically at start and by `db upgrade`.

The common case (schema already current) costs one small query and never imports Alembic.
Upgrades run under a lock (SQLite: the write lock; PostgreSQL: an advisory lock), so several
runners starting together migrate once.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import DatabaseError

from store.db import Database

# The newest revision under store/migrations/versions; a test keeps the two in step.
HEAD_REVISION = "0009"
MIGRATIONS = Path(__file__).parent / "migrations"
_PG_LOCK_ID = 0x616C6D78  # "almx"


def current_revision(connection: Connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError:
        connection.rollback()
        return None


def ensure_schema(database: Database) -> None:
    """Bring the schema to HEAD_REVISION unless it is there already."""
    with database.read() as session:
        if current_revision(session.connection()) == HEAD_REVISION:
            return
    upgrade(database)


def upgrade(database: Database, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
