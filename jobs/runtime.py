"""What lives longer than one cycle: the settings, the database, the channels, and caches
shared by sources. Everything heavy is opened on first use only, so a `--dry-run` of a file
check never imports SQLAlchemy or requests."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from config.loader import Settings
from store.lazy import LazyDatabase

if TYPE_CHECKING:
    from notify.base import Channel
    from notify.delivery import Deliverer
    from store.db import Database


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.shared: dict[str, Any] = {}  # cross-cycle caches owned by sources (markets...)
        self._database = LazyDatabase(settings.app.database_url.get_secret_value())
        self._channels: dict[str, Channel] | None = None
        self._deliverer: Deliverer | None = None
        self._lock = threading.RLock()

    @property
    def database(self) -> Database:
        return self._database.get()

    @property
    def channels(self) -> dict[str, Channel]:
        with self._lock:
            if self._channels is None:
                from notify.registry import build_channels

                self._channels = build_channels(self.settings)
            return self._channels

    @property
    def deliverer(self) -> Deliverer:
        with self._lock:
            if self._deliverer is None:
                from notify.delivery import Deliverer

                self._deliverer = Deliverer(
                    self.database, self.channels, self.settings.app.delivery
                )
            return self._deliverer

    def close(self) -> None:
        with self._lock:
            for channel in (self._channels or {}).values():
                channel.close()
            self._channels = self._deliverer = None
        self._database.close()
