"""What lives longer than one cycle: the settings, the database, caches shared by sources."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from config.loader import Settings

if TYPE_CHECKING:
    from store.db import Database


class Runtime:
    """Opened once per process; the database is connected (and migrated) on first use only,
    so a `--dry-run` of a check that needs no database never touches it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.shared: dict[str, Any] = {}  # cross-cycle caches owned by sources (markets...)
        self._database: Database | None = None
        self._lock = threading.Lock()

    @property
    def database(self) -> Database:
        with self._lock:
            if self._database is None:
                # Imported here: SQLAlchemy costs a fifth of a second that a dry run of a
                # file check does not need to pay.
                from store.db import Database
                from store.migrate import ensure_schema

                database = Database(self.settings.app.database_url.get_secret_value())
                ensure_schema(database)
                self._database = database
            return self._database

    def close(self) -> None:
        with self._lock:
            if self._database is not None:
                self._database.close()
                self._database = None
