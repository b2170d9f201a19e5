"""Engine and transactions.

SQLite is tuned for a bot writing the same file at the same time: WAL (readers never wait
for the writer), a busy timeout (writers wait instead of failing), and `BEGIN IMMEDIATE` for
write transactions (the write lock is taken up front, so two writers queue instead of one
failing with "database is locked" when it upgrades a read lock). PostgreSQL works by URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 30_000
PAGE_CACHE_KIB = 512  # per connection
_READ_ONLY = "alert_matrix_read_only"


class Database:
    """One database: `write()` for transactions that change things, `read()` for the rest."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(
            self.engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error."""
        with self._writer.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (on SQLite a deferred BEGIN, which takes no write lock)."""
        with self._reader() as session:
            yield session

    def open_pool(self) -> None:
        """Open every connection the pool keeps, now (a long-running process). Opened one
        at a time, when jobs rarely happened to run together, each brought its own schema and
        page cache (on SQLite, about 0.5 MiB), and the daemon's memory crept up for hours."""
        if not isinstance(self.engine.pool, QueuePool):
            return  # an in-memory SQLite database has its one connection already
        with ExitStack() as opened:
            for _ in range(self.engine.pool.size()):
                opened.enter_context(self.engine.connect())

    def close(self) -> None:
        self.engine.dispose()


def describe(error: BaseException) -> str:
    """`OperationalError: database is locked`: the driver's own words, one line, without the
    SQL and parameters SQLAlchemy appends (they can be long and hold the bot's data)."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = str(cause).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else type(cause).__name__}"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the driver so `_begin_sqlite` decides how to BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    # Each pooled connection keeps its own page cache (2 MiB by default), filled as the tables
    # grow: a daemon's RSS crept up for hours. The OS caches the file anyway.
    cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:
    read_only = connection.get_execution_options().get(_READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
