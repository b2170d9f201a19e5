"""What lives longer than one cycle: the settings, the database, caches shared by sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from config.loader import Settings
from store.lazy import LazyDatabase

if TYPE_CHECKING:
    from store.db import Database


class Runtime:
    """Opened once per process; the database is connected (and migrated) on first use only,
    so a `--dry-run` of a check that needs no database never touches it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.shared: dict[str, Any] = {}  # cross-cycle caches owned by sources (markets...)
        self._database = LazyDatabase(settings.app.database_url.get_secret_value())

    @property
    def database(self) -> Database:
        return self._database.get()

    def close(self) -> None:
        self._database.close()
