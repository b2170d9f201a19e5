"""The daemon's memory over weeks of uptime.

glibc gives each thread that allocates while another does its own heap (an "arena"), up to
eight per core. The daemon's job threads take turns over hours, each new pairing touches
another arena, and every arena keeps its freed pages: the resident size creeps for the first
hour. Two arenas are plenty for threads that mostly wait on the network and the database,
and keep it flat (the same as `MALLOC_ARENA_MAX=2`, which Ruby and Java services set for the
same reason).
"""

from __future__ import annotations

import ctypes
import sys

_M_ARENA_MAX = -8  # mallopt parameter, from glibc's malloc.h
ARENAS = 2


def limit_malloc_arenas() -> bool:
    """Cap glibc's arenas before the daemon starts its threads; False where libc is not
    glibc (the setting does not exist there)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, ARENAS))
    except (OSError, AttributeError):
        return False
