"""The figures of the delivery benchmarks, from the outbox and what the receiver recorded:
lost, duplicated (split by cause) and the worst delivery delay.

A channel named `a` posts to the receiver's path `/a`. A copy is "accepted, unseen" when the
receiver had taken it but the runner could not know (killed mid-POST, or an answer after its
timeout): a repeat of such a copy is the at-least-once edge, carrying the same notification
id; any other repeat is a defect.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Arrival:
    key: tuple[str, str]  # (notification id, channel)
    at: float  # wall-clock seconds
    unseen: bool  # accepted, but the runner never saw the answer


@dataclass
class Audit:
    notifications: int = 0
    lost: list[tuple[str, str]] = field(default_factory=list)
    duplicated_accepted: int = 0
    duplicated_other: int = 0
    worst_delay: float = 0.0
    worst_beyond_downtime: float | None = None  # without downtime: the worst delay itself


def outbox(database: Path) -> dict[tuple[str, str], tuple[float, str]]:
    """(notification id, channel) -> (created at, wall seconds; delivery state)."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT notification_id, channel, created_at, state FROM outbox WHERE channel != ?",
            ("console",),
        ).fetchall()
    return {
        (nid, channel): (datetime.fromisoformat(f"{created}+00:00").timestamp(), state)
        for nid, channel, created, state in rows
    }


def open_rows(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        query = "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
        return connection.execute(query).fetchone()[0]


def audit(
    rows: dict[tuple[str, str], tuple[float, str]],
    arrivals: list[Arrival],
    downtimes: list[tuple[float, float]],
) -> Audit:
    by_key: dict[tuple[str, str], list[Arrival]] = defaultdict(list)
    for arrival in sorted(arrivals, key=lambda a: a.at):
        by_key[arrival.key].append(arrival)
    result = Audit(notifications=len(rows), worst_beyond_downtime=0.0 if downtimes else None)
    for key, (created, _state) in rows.items():
        copies = by_key.get(key, [])
        if not copies:
            result.lost.append(key)
            continue
        if len(copies) > 1:
            if all(copy.unseen for copy in copies[:-1]):
                result.duplicated_accepted += 1
            else:
                result.duplicated_other += 1
        delivered = copies[0].at
        delay = max(0.0, delivered - created)
        down = sum(max(0.0, min(end, delivered) - max(start, created)) for start, end in downtimes)
        result.worst_delay = max(result.worst_delay, delay)
        if result.worst_beyond_downtime is not None:
            result.worst_beyond_downtime = max(result.worst_beyond_downtime, delay - down)
    return result


def report(title: str, figures: Audit, **more: object) -> None:
    print(title)
    for name, value in more.items():
        print(f"  {name.replace('_', ' ')}: {value}")
    print(f"  notifications (rows: one per channel): {figures.notifications}")
    print(f"  lost: {len(figures.lost)}" + (f" {figures.lost[:5]}" if figures.lost else ""))
    print(
        f"  duplicated, receiver had accepted (same notification id): {figures.duplicated_accepted}"
    )
    print(f"  duplicated, other: {figures.duplicated_other}")
    print(f"  worst delivery delay: {figures.worst_delay:.1f} s")
    if figures.worst_beyond_downtime is not None:
        beyond = figures.worst_beyond_downtime
        print(f"  worst delay beyond the daemon's downtime (goal <= 15 s): {beyond:.1f} s")
