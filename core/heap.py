"""The start-up heap of a long-running process, kept out of the collector's full passes."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect once, then freeze what is left (modules, classes, compiled templates: about
    100,000 objects). Objects made from then on are collected as before; a full collection
    just no longer walks the start-up heap, which paused a status-page request (or a check)
    for 40 to 100 ms every few dozen requests. For `run` and `web`, after start-up."""
    gc.collect()
    gc.freeze()
