"""Delivery through a failing receiver: the receiver (on 127.0.0.1) cycles through answering
500, 429 with Retry-After, slow past the channel's timeout, refusing connections, and
answering 200, one phase every `--phase-seconds`, while the kill switch flips.

Prints lost notifications, duplicates (the receiver had accepted a request whose answer
came after the runner's timeout, or other) and the worst delivery delay.

    .venv/bin/python bench/receiver_faults.py --cycles 4
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from delivery_audit import Arrival, audit, open_rows, outbox, report
from harness import flip_every, free_port, start_daemon, webhook, write_config

from emulator.receiver import Received, Reply, WebhookReceiver  # after harness: finds the project

TIMEOUT = 2.0
RETRY_AFTER = 3
PHASES = {
    "500": Reply(500, body="boom"),
    "429": Reply(429, {"Retry-After": str(RETRY_AFTER)}, "slow down"),
    "slow": Reply(200, delay=TIMEOUT + 1.5),
    "refused": None,  # nothing listens on the port
    "200": Reply(200),
}
_FLIP_SECONDS = 1.5
_DRAIN_SECONDS = 180


class CyclingReceiver:
    """One port; a new `WebhookReceiver` on it after each refused phase. Remembers when each
    phase began, to tell an answer that came too late from one that did not."""

    def __init__(self) -> None:
        self.port = free_port()
        self.phases: list[tuple[float, str]] = []
        self.received: list[Received] = []
        self._current: WebhookReceiver | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def enter(self, phase: str) -> None:
        reply = PHASES[phase]
        if reply is None:
            self._close()
        else:
            if self._current is None:
                self._current = WebhookReceiver(port=self.port).start()
            self._current.default = reply
        self.phases.append((time.monotonic(), phase))

    def phase_at(self, moment: float) -> str:
        return [phase for began, phase in self.phases if began <= moment][-1]

    def _close(self) -> None:
        if self._current is not None:
            self.received += self._current.requests
            self._current.stop()
            self._current = None

    def requests(self) -> list[Received]:
        self._close()
        return self.received


def faults(cycles: int, phase_seconds: float) -> None:
    from checks.registry import CHECKS

    clock_offset = time.time() - time.monotonic()
    receiver = CyclingReceiver()
    receiver.enter("200")
    stop = threading.Event()
    with tempfile.TemporaryDirectory() as tmp:
        folder, port = Path(tmp), free_port()
        config = write_config(
            folder,
            port,
            channels=[webhook(name, receiver.url(f"/{name}"), TIMEOUT) for name in ("a", "b")],
            schedule={"default": 30, "kill_switch": 1},
            skip_checks=[name for name in CHECKS if name != "kill_switch"],
            paths={"kill_switch_file": str(folder / "KILL_SWITCH"), "error_log_file": None},
            monitoring={"alert_service": {"escalation_seconds": 86400}},
            delivery={"backoff_initial_seconds": 1, "backoff_max_seconds": 8},
        )
        database = folder / "alert_matrix.db"
        daemon = start_daemon(config, port, folder / "daemon.log")
        flipper = threading.Thread(
            target=flip_every, args=(folder / "KILL_SWITCH", _FLIP_SECONDS, stop)
        )
        flipper.start()
        try:
            for _ in range(cycles):
                for phase in PHASES:
                    receiver.enter(phase)
                    time.sleep(phase_seconds)
            stop.set()
            deadline = time.monotonic() + _DRAIN_SECONDS
            while open_rows(database) and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            stop.set()
            flipper.join()
            daemon.terminate()
            daemon.wait(timeout=60)
        arrivals = [
            Arrival(
                (request.headers["X-Alert-Matrix-Notification"], request.path.strip("/")),
                request.at + clock_offset,
                unseen=receiver.phase_at(request.at) == "slow",
            )
            for request in receiver.requests()
            if request.answered == 200
        ]
        figures = audit(outbox(database), arrivals, [])
    report(
        "receiver faults: 500 / 429 Retry-After / slow past the timeout / refused / 200",
        figures,
        cycles=cycles,
        episodes=cycles * (len(PHASES) - 1),
        phase_seconds=phase_seconds,
        channel_timeout=f"{TIMEOUT:g} s, backoff 1 s doubling to 8 s, Retry-After {RETRY_AFTER} s",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=4)
    parser.add_argument("--phase-seconds", type=float, default=8.0)
    args = parser.parse_args()
    faults(args.cycles, args.phase_seconds)


if __name__ == "__main__":
    main()
