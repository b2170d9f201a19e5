"""The heap of a long-running process (`run`, `web`).

CPython frees most objects at once, but objects that refer to each other in a cycle (SQLAlchemy
statements and their compiled forms, exceptions and their tracebacks) wait for the collector,
and those that lived through two collections wait for a full one. It runs only once the
objects waiting have grown to a quarter of those that survived the last: in a soak, about
15,000 objects and 1.5 MiB over half an hour, so the resident size climbed for that long
before it levelled. `collect_garbage` on a schedule (the daemon's `garbage` job) frees them
within a minute instead.

glibc gives each thread that allocates while another does its own heap (an "arena"), up to
eight per core. The daemon's job threads take turns over hours, each new pairing touches
another arena, and every arena keeps its freed pages. Two arenas are plenty for threads that
mostly wait on the network and the database (the same as `MALLOC_ARENA_MAX=2`, which Ruby and
Java services set for the same reason). With them, the daemon's threads started up front and
a full collection every minute, a 60-minute soak grows 0.5 to 0.75 MiB an hour after its
first 10 minutes (README: "Crashes, failing receivers, bad input, long runs").
"""

from __future__ import annotations

import ctypes
import gc
import sys

_M_ARENA_MAX = -8  # mallopt parameter, from glibc's malloc.h
ARENAS = 2


def limit_malloc_arenas() -> bool:
    """Cap glibc's arenas before the process starts its threads; False where libc is not
    glibc (the setting does not exist there)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, ARENAS))
    except (OSError, AttributeError):
        return False


def collect_garbage() -> int:
    """A full collection: cheap once the start-up heap is frozen (`settle_heap`; about
    13,000 objects left to walk in the single-bot daemon). Returns the objects freed."""
    return gc.collect()


def settle_heap() -> None:
    """Collect once, then freeze what is left (modules, classes, compiled templates: about
    100,000 objects). Objects made from then on are collected as before; a full collection
    just no longer walks the start-up heap, which paused a status-page request (or a check)
    for 40 to 100 ms every few dozen requests. After start-up."""
    gc.collect()
    gc.freeze()
