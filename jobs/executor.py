"""The daemon's job threads, all started before the first job runs.

A thread pool starts a thread only when every thread it has is busy, so a daemon's pool kept
growing for hours, one thread each time jobs rarely happened to run together, and each new
thread took a stack and, often, a new database connection with its own page cache: memory
that crept up long after start. Started up front, the daemon has the same threads from the
first minute to the last.
"""

from __future__ import annotations

import concurrent.futures
import threading

from apscheduler.executors.pool import BasePoolExecutor

_START_TIMEOUT_SECONDS = 30.0


class StartedThreadPool(BasePoolExecutor):
    """APScheduler's thread-pool executor with all `workers` threads running from the start."""

    def __init__(self, workers: int) -> None:
        pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="job")
        # Each task waits for all the others, so every submit finds no idle thread and the
        # pool starts one more, up to `workers`.
        everyone = threading.Barrier(workers)
        started = [pool.submit(everyone.wait, _START_TIMEOUT_SECONDS) for _ in range(workers)]
        for future in started:
            future.result()
        super().__init__(pool)
