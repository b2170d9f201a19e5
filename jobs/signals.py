"""SIGTERM and SIGINT, handled on a thread of their own.

A Python signal handler runs on the main thread between any two bytecodes, so also while
that thread holds a lock: APScheduler's own, the logging handler's, the one `Thread.start`
takes. A handler that logs, starts a thread or stops the scheduler can deadlock on it. Here
the handler does nothing at all: the interpreter writes the signal number to a socket
(`signal.set_wakeup_fd`, done in C), and a thread reads it and calls `on_stop`.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_CLOSED = 0  # no signal has number 0


class StopSignals:
    """`install()` on the main thread, `start()` when ready to stop, `close()` at the end.
    Only the first stop signal counts: Ctrl-C reaches the whole process group while a
    supervisor may send SIGTERM as well."""

    def __init__(self, on_stop: Callable[[signal.Signals], None]) -> None:
        self._on_stop = on_stop
        self._reader, self._writer = socket.socketpair()
        self._writer.setblocking(False)  # set_wakeup_fd requires it
        self._previous: dict[int, Any] = {}
        self._previous_wakeup_fd: int | None = None
        self._thread = threading.Thread(target=self._watch, name="stop-signals")

    def install(self) -> None:
        """From now on SIGTERM and SIGINT queue up (nothing is lost before `start()`)."""
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, _queued)
        self._previous_wakeup_fd = signal.set_wakeup_fd(
            self._writer.fileno(), warn_on_full_buffer=False
        )

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Restore the previous handlers; wait for a running `on_stop` to return."""
        if self._previous_wakeup_fd is not None:
            signal.set_wakeup_fd(self._previous_wakeup_fd)
            self._previous_wakeup_fd = None
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
        self._writer.send(bytes([_CLOSED]))
        if self._thread.is_alive():
            self._thread.join()
        self._reader.close()
        self._writer.close()

    def _watch(self) -> None:
        received = self._next_stop_signal()
        if received is not None:
            self._on_stop(received)

    def _next_stop_signal(self) -> signal.Signals | None:
        while data := self._reader.recv(64):
            for number in data:
                if number == _CLOSED:
                    return None
                if number in STOP_SIGNALS:
                    return signal.Signals(number)
        return None


def _queued(_signum: int, _frame: FrameType | None) -> None:
    """The wakeup socket already carries the signal; doing more here is what deadlocks."""
