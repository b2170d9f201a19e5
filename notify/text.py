"""Fitting text and details into a receiver's published limits, after its own escaping.

Text reaches the channels already bounded (`core.untrusted`); each receiver still has its
own limits (Slack 3000 a section, Discord 1024 a field, Telegram 4096 a message), and
escaping makes text longer (`&` is `&amp;`), so cutting happens on the escaped text and
never inside an escape. Lengths are counted in UTF-16 code units, as the JavaScript
receivers count them: never fewer than characters, so a fit is a fit everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

MARK = "…"
Item = TypeVar("Item")


def length(text: str) -> int:
    """UTF-16 code units: an emoji counts 2."""
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int, escape: Callable[[str], str] = str) -> str:
    """`escape(text)` in at most `limit` code units; a cut one ends with `…`."""
    escaped = escape(text)
    if length(escaped) <= limit:
        return escaped
    budget, used, size = limit - length(MARK), 0, 0
    for char in text:
        used += length(escape(char))
        if used > budget:
            break
        size += 1
    return escape(text[:size]) + MARK


def longest_fitting(items: Sequence[Item], fits: Callable[[list[Item]], bool]) -> list[Item]:
    """The longest prefix of `items` that `fits` (details are listed most important first)."""
    for end in range(len(items), -1, -1):
        if fits(list(items[:end])):
            return list(items[:end])
    return []


def cut_note(count: int, receiver: str) -> str:
    """What a shrunk message says about the details it left out."""
    return f"{count} more detail{'s' if count != 1 else ''} cut to fit {receiver}'s limits"


def shown(value: Any) -> str:
    """A context value as text: strings as they are, the rest as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, default=str)
