"""The daemon's delivery thread: a pass at start, at every interval, at once when woken, and
a last pass after the stop is asked."""

from __future__ import annotations

import threading
import time

from jobs.delivery_loop import DeliveryLoop


class Passes:
    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, timeout)


def test_a_pass_at_start_then_at_once_when_woken_not_at_the_interval():
    passes = Passes()
    loop = DeliveryLoop(passes, interval=60)
    loop.start()
    assert passes.wait_for(1)
    started = time.monotonic()
    loop.wake()
    assert passes.wait_for(2)
    assert time.monotonic() - started < 1.0  # the wake-up, not the 60 s interval
    loop.stop()
    assert passes.count == 3  # the last pass, after the stop was asked


def test_the_interval_alone_keeps_it_delivering():
    passes = Passes()
    loop = DeliveryLoop(passes, interval=0.05)
    loop.start()
    assert passes.wait_for(4)
    loop.stop()


def test_a_wake_up_during_a_pass_makes_one_more_pass():
    entered, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_pass() -> None:
        calls.append(1)
        if len(calls) == 1:
            entered.set()
            release.wait(5)

    loop = DeliveryLoop(slow_pass, interval=60)
    loop.start()
    assert entered.wait(5)
    loop.wake()  # a check found something while the first pass was still sending
    release.set()
    deadline = time.monotonic() + 5
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(calls) == 2
    loop.stop()


def test_a_stop_before_the_start_still_delivers_once():
    passes = Passes()
    DeliveryLoop(passes, interval=60).stop()
    assert passes.count == 1
