"""The daemon's delivery: one thread that delivers what is due every `interval` seconds, and
at once when a check wakes it (detection latency matters).

Waking is setting an event, so a check never waits for delivery or for the scheduler; a
wake-up during a pass makes one more pass. `stop` ends the wait; the pass after it delivers
what the last checks found, then the thread ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class DeliveryLoop:
    def __init__(self, deliver: Callable[[], None], interval: float) -> None:
        self._deliver = deliver
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)

    def start(self) -> None:
        self._wake.set()  # the first pass at once: what a previous run left owing
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Make the last pass (after every check that could still wake it) and wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()
        else:
            self._deliver()  # never started (a stop during start-up): deliver here

    def _run(self) -> None:
        while True:
            self._wake.wait(self._interval)
            self._wake.clear()
            last = self._stop.is_set()  # asked before this pass began: it is the last one
            self._deliver()
            if last:
                return
