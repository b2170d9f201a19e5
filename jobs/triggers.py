"""An interval trigger whose jitter never drifts.

APScheduler 3's IntervalTrigger adds the jitter to the previous (already jittered) fire time,
so the schedule creeps later by jitter/2 a run on average. Here every fire time is the
un-jittered grid `start + n * interval` plus a fresh random offset in [0, jitter), so runs
stay spread out and the n-th run is never more than `jitter` late.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger


class JitteredInterval(BaseTrigger):
    def __init__(
        self, seconds: float, start: datetime, jitter: float = 0.0, timezone: tzinfo | None = None
    ) -> None:
        if seconds <= 0:
            raise ValueError("the interval must be positive")
        if not 0 <= jitter < seconds:
            raise ValueError("the jitter must be at least 0 and shorter than the interval")
        self.interval = seconds
        self.jitter = jitter
        self.start = start
        self.timezone = timezone or start.tzinfo

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        if previous_fire_time is None:
            slot = max(0, math.ceil((now - self.start).total_seconds() / self.interval))
        else:
            # The slot the previous run belonged to (its jitter is < interval), plus one.
            slot = math.floor((previous_fire_time - self.start).total_seconds() / self.interval) + 1
        return self._slot_time(slot)

    def first_run(self) -> datetime:
        """Slot 0: a daemon looks at once when it starts, not one interval later."""
        return self._slot_time(0)

    def _slot_time(self, slot: int) -> datetime:
        offset = random.uniform(0, self.jitter) if self.jitter else 0.0
        return self.start + timedelta(seconds=slot * self.interval + offset)

    def __str__(self) -> str:
        return f"every {self.interval:g}s (jitter up to {self.jitter:g}s)"
