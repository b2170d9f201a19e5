"""Crash recovery of delivery: the daemon SIGKILLed `--kills` times at random moments, half of
them while a POST is in flight, and restarted at once (as systemd would), while the kill
switch flips and the receiver (on 127.0.0.1) answers after a random 0-0.8 s.

Prints lost notifications, duplicates (the receiver had accepted a request the runner never
saw answered, or other) and the worst delivery delay, in total and beyond the downtime (goal:
0 lost, no other duplicates, at most 15 s beyond the restart).

    .venv/bin/python bench/chaos_kill.py --kills 50
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from delivery_audit import Arrival, audit, open_rows, outbox, report
from harness import flip, free_port, start_daemon, webhook, write_config

from emulator.receiver import Reply, WebhookReceiver  # after harness: it finds the project

CHANNELS = ("a", "b")
_DRAIN_SECONDS = 120


def _config(folder: Path, receiver: WebhookReceiver, port: int) -> Path:
    from checks.registry import CHECKS

    return write_config(
        folder,
        port,
        channels=[webhook(name, receiver.url(f"/{name}"), 2) for name in CHANNELS],
        schedule={"default": 30, "kill_switch": 1},
        skip_checks=[name for name in CHECKS if name != "kill_switch"],
        paths={"kill_switch_file": str(folder / "KILL_SWITCH"), "error_log_file": None},
        monitoring={"alert_service": {"escalation_seconds": 86400}},
    )


def _sending(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        query = "SELECT notification_id, channel FROM outbox WHERE state = 'sending'"
        return set(connection.execute(query).fetchall())


def _restart(
    config: Path,
    port: int,
    folder: Path,
    kill_log: list[tuple[float, set[tuple[str, str]]]],
    downtimes: list[tuple[float, float]],
) -> subprocess.Popen:
    daemon = start_daemon(config, port, folder / "daemon.log")
    if kill_log:
        downtimes.append((kill_log[-1][0], time.time()))
    return daemon


def chaos(kills: int, seed: int) -> None:
    rng = random.Random(seed)
    clock_offset = time.time() - time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, WebhookReceiver() as receiver:
        receiver.script(*(Reply(delay=rng.uniform(0.0, 0.8)) for _ in range(20 * kills)))
        folder, port = Path(tmp), free_port()
        config, database = _config(folder, receiver, port), folder / "alert_matrix.db"
        switch = folder / "KILL_SWITCH"
        kill_log: list[tuple[float, set[tuple[str, str]]]] = []
        downtimes: list[tuple[float, float]] = []  # from a kill until healthy again
        mid_post = 0
        for _ in range(kills):
            daemon = _restart(config, port, folder, kill_log, downtimes)
            flip(switch)
            if rng.random() < 0.5:  # mid-POST: as soon as a request reaches the receiver
                seen = len(receiver.requests)
                receiver.wait_for(seen + 1, timeout=5)
                time.sleep(rng.uniform(0.0, 0.3))
                mid_post += 1
            else:  # anywhere in the next few seconds, the switch flipping meanwhile
                deadline = time.monotonic() + rng.uniform(0.2, 4.0)
                while time.monotonic() < deadline:
                    time.sleep(rng.uniform(0.1, 1.5))
                    if rng.random() < 0.5:
                        flip(switch)
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
            kill_log.append((time.time(), _sending(database)))
            if rng.random() < 0.3:
                flip(switch)  # the bot acts while the watchdog is down
        daemon = _restart(config, port, folder, kill_log, downtimes)
        deadline = time.monotonic() + _DRAIN_SECONDS
        while open_rows(database) and time.monotonic() < deadline:
            time.sleep(0.5)
        daemon.terminate()
        daemon.wait(timeout=60)
        arrivals = []
        for request in receiver.requests:
            key = (request.headers["X-Alert-Matrix-Notification"], request.path.strip("/"))
            at = request.at + clock_offset
            unseen = any(key in sending and at < killed for killed, sending in kill_log)
            arrivals.append(Arrival(key, at, unseen))
        figures = audit(outbox(database), arrivals, downtimes)
    restarts = sorted(end - start for start, end in downtimes)
    restart = f"median {restarts[len(restarts) // 2]:.1f} s, max {restarts[-1]:.1f} s"
    report(
        "chaos: SIGKILL loop against a webhook receiver",
        figures,
        kills=kills,
        kills_while_a_POST_was_in_flight=mid_post,
        downtime_kill_to_healthy=restart,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    chaos(args.kills, args.seed)


if __name__ == "__main__":
    main()
