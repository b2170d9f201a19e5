"""The daemon's own health: is every job running on time? (Not the bot's health.)"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any


@dataclass
class JobState:
    interval: float
    last_started: float | None = None
    last_finished: float | None = None
    last_duration: float | None = None
    last_status: str | None = None
    last_error: str | None = None
    runs: int = 0
    failures: int = 0


class JobHealth:
    """What every job did last, on the monotonic clock, shared by the jobs and /healthz.

    A job is late when it has not finished a run for `2 * interval + grace` seconds (from
    the daemon's start for a job that has not run yet): the scheduler is stuck, a job hangs,
    or the executor is starved. A late job makes the daemon unhealthy.
    """

    def __init__(self, grace: float = 60.0) -> None:
        self.grace = grace
        self.started_at = time.monotonic()
        self._jobs: dict[str, JobState] = {}
        self._lock = threading.Lock()

    def register(self, name: str, interval: float) -> None:
        with self._lock:
            self._jobs[name] = JobState(interval)

    def started(self, name: str) -> None:
        with self._lock:
            self._jobs[name].last_started = time.monotonic()

    def finished(self, name: str, status: str, error: str | None = None) -> None:
        with self._lock:
            job = self._jobs[name]
            now = time.monotonic()
            job.last_finished = now
            job.last_duration = now - (job.last_started or now)
            job.last_status = status
            job.last_error = error
            job.runs += 1
            job.failures += error is not None

    def late(self) -> dict[str, float]:
        """Late jobs and how many seconds since they last finished (or since the start)."""
        now = time.monotonic()
        with self._lock:
            late = {}
            for name, job in self._jobs.items():
                since = now - (job.last_finished or self.started_at)
                if since > 2 * job.interval + self.grace:
                    late[name] = round(since, 1)
            return late

    def healthy(self, scheduler_running: bool) -> tuple[bool, dict[str, float]]:
        """Healthy while the scheduler runs and no job is late; and the late jobs."""
        late = self.late()
        return scheduler_running and not late, late

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {name: dict(vars(job)) for name, job in self._jobs.items()}
