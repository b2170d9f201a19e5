"""Stop signals reach a thread, once, even when they arrive before it is ready."""

from __future__ import annotations

import os
import signal
import threading

from jobs.signals import StopSignals


def test_a_signal_before_start_is_kept_and_two_signals_stop_once():
    received: list[signal.Signals] = []
    stopped = threading.Event()

    def on_stop(signum: signal.Signals) -> None:
        received.append(signum)
        stopped.set()

    previous = signal.getsignal(signal.SIGTERM)
    signals = StopSignals(on_stop)
    signals.install()
    try:
        os.kill(os.getpid(), signal.SIGTERM)  # during start-up: queued, not fatal
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C on top of a supervisor's SIGTERM
        signals.start()
        assert stopped.wait(5)
    finally:
        signals.close()
    assert received == [signal.SIGTERM]
    assert signal.getsignal(signal.SIGTERM) is previous


def test_close_without_a_signal_returns_and_restores():
    signals = StopSignals(lambda _signum: None)
    signals.install()
    signals.start()
    signals.close()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
