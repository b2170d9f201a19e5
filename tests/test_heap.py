"""The long-running process's heap: what waits for a full collection, and what frees it."""

from __future__ import annotations

import gc
import weakref

from core.heap import collect_garbage


class _Node:
    def __init__(self) -> None:
        self.itself = self  # a cycle: reference counting alone never frees it


def test_a_cycle_that_lived_through_a_collection_waits_for_a_full_one_which_frees_it():
    node = _Node()
    freed = weakref.ref(node)
    gc.collect()  # `node` is alive: it moves to the oldest generation
    del node
    gc.collect(1)  # what the automatic collections do most of the time
    assert freed() is not None
    assert collect_garbage() >= 1
    assert freed() is None
