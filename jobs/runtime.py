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


class _Resources:
    """What the runtimes of one configuration share: the database, the channels, delivery,
    and caches kept across cycles by the sources (keyed by account where private)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.caches: dict[str, Any] = {}
        self.database = LazyDatabase(settings.app.database_url.get_secret_value())
        self.channels: dict[str, Channel] | None = None
        self.deliverer: Deliverer | None = None
        self.lock = threading.RLock()


class Runtime:
    def __init__(self, settings: Settings, resources: _Resources | None = None) -> None:
        self.settings = settings
        self._resources = resources or _Resources(settings)
        self._fleet: list[Runtime] | None = None

    def fleet(self) -> list[Runtime]:
        """A runtime for each account watched (just this one for one bot), all sharing this
        one's database, channels, delivery and caches."""
        if not self.settings.members:
            return [self]
        with self._resources.lock:
            if self._fleet is None:
                self._fleet = [Runtime(m, self._resources) for m in self.settings.members]
            return self._fleet

    @property
    def shared(self) -> dict[str, Any]:
        return self._resources.caches

    @property
    def database(self) -> Database:
        return self._resources.database.get()

    @property
    def channels(self) -> dict[str, Channel]:
        resources = self._resources
        with resources.lock:
            if resources.channels is None:
                from notify.registry import build_channels

                resources.channels = build_channels(resources.settings)
            return resources.channels

    @property
    def deliverer(self) -> Deliverer:
        resources = self._resources
        with resources.lock:
            if resources.deliverer is None:
                from notify.delivery import Deliverer

                resources.deliverer = Deliverer(
                    self.database, self.channels, resources.settings.app.delivery
                )
            return resources.deliverer

    def close(self) -> None:
        resources = self._resources
        with resources.lock:
            for channel in (resources.channels or {}).values():
                channel.close()
            resources.channels = resources.deliverer = None
        resources.database.close()
