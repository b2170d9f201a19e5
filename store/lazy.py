"""A database opened on first use: connected and migrated once, whichever thread asks first.

Importing this costs nothing: SQLAlchemy (a fifth of a second) is loaded only when the
database is first needed, so a dry run of a file check never pays for it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.db import Database


class LazyDatabase:
    """A failed connection or migration is not kept: the next use tries again."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._database: Database | None = None
        self._lock = threading.Lock()

    def get(self) -> Database:
        with self._lock:
            if self._database is None:
                from store.db import Database
                from store.migrate import ensure_schema

                database = Database(self._url)
                try:
                    ensure_schema(database)
                except Exception:
                    database.close()
                    raise
                self._database = database
            return self._database

    def close(self) -> None:
        with self._lock:
            if self._database is not None:
                self._database.close()
                self._database = None
