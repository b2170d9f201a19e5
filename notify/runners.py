"""Who holds an outbox claim (`host:pid:random`), and whether that runner is certainly gone.

A runner killed mid-send leaves its rows `sending`. Waiting for the lease to end would delay
the alert (and everything of that alert behind it) for a whole lease, so a runner on the same
host releases such rows at once when the process that claimed them no longer exists. A claim
from another host, or from a process that still runs, is left to its lease: only certain
death releases early.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

# Every worker id made by this process: a claim with our pid but not one of these was made by
# an earlier process that had the same pid (PID 1 in a restarted container).
_OURS: set[str] = set()


def worker_id() -> str:
    """A new claim holder: host, process and a random part (two runners never collide)."""
    worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    _OURS.add(worker)
    return worker


def is_dead(claimed_by: str | None) -> bool:
    """True only when the claim's runner ran on this host and its process is gone."""
    host, _, rest = (claimed_by or "").rpartition(":")[0].rpartition(":")
    if host != socket.gethostname() or not rest.isdigit():
        return False
    pid = int(rest)
    if pid == os.getpid():
        return claimed_by not in _OURS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process: alive
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed process not yet reaped by its parent still answers `kill(pid, 0)`."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]
