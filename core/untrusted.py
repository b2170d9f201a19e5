"""Bounding text that comes from the bot, its error log or the exchange.

Any of it may be hostile or huge: a 1 MiB traceback, control characters that rewrite a
terminal, a right-to-left override that makes `gnp.exe` read as `exe.png`. It is bounded
once, where a notification is made (`core.notification`), so every channel receives text of
a known size and only printable characters; each channel then escapes for its own format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

TEXT_MAX = 2000  # characters of the message and of each context string
KEY_MAX = 100  # characters of a context key
ITEMS_MAX = 50  # entries of a context list or object
DEPTH_MAX = 4  # nesting of context lists and objects
CONTEXT_MAX = 16_000  # characters of the whole context as JSON
CUT_NOTE = "context_cut"  # the key that says which context entries were left out
_NOTE_ROOM = TEXT_MAX + 50  # the note itself, within CONTEXT_MAX

# C0 and C1 controls (not tab or newline), DEL, and the bidirectional embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Printable text: line breaks become `\n`, tabs a space, invisible controls go."""
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    return _INVISIBLE.sub("", text)


def one_line(text: str) -> str:
    """Clean text on a single line (headers, status lines): every run of whitespace is one
    space."""
    return _SPACES.sub(" ", clean(text)).strip()


def cut(text: str, limit: int, beyond: int = 0) -> str:
    """`text` at most `limit` characters; a longer one (or one with `beyond` characters
    already dropped after it) ends with a note of how much was cut."""
    if len(text) <= limit and not beyond:
        return text
    for size in range(min(len(text), limit), -1, -1):  # the note's length depends on the count
        note = f"… [{len(text) + beyond - size:,} characters cut]"
        if size + len(note) <= limit:
            return text[:size] + note
    return text[:limit]


def bound_text(text: str, limit: int = TEXT_MAX, *, line: bool = False) -> str:
    """Clean (on one `line` if asked) and cut to `limit`; a 1 MiB string is never scanned
    whole."""
    window = 2 * limit
    shown = (one_line if line else clean)(text[:window])
    return cut(shown, limit, max(len(text) - window, 0))


def bound_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context with every string, list and object bounded, and the whole of it at most
    `CONTEXT_MAX` characters of JSON: strings are cut shorter until it fits, and entries that
    still do not fit are left out, named under `context_cut`."""
    for text_limit in (TEXT_MAX, 500, 100):
        bounded = _bound(dict(context), DEPTH_MAX, text_limit)
        if _size(bounded) <= CONTEXT_MAX:
            return bounded
    kept: dict[str, Any] = {}
    left_out: list[str] = []
    for key, value in bounded.items():
        if _size({**kept, key: value}) <= CONTEXT_MAX - _NOTE_ROOM:
            kept[key] = value
        else:
            left_out.append(key)
    kept[CUT_NOTE] = cut(
        f"{len(left_out)} entries left out (over {CONTEXT_MAX:,} characters): "
        + ", ".join(left_out),
        TEXT_MAX,
    )
    return kept


def _bound(value: Any, depth: int, limit: int) -> Any:
    if isinstance(value, str):
        return bound_text(value, limit)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if depth == 0:
        return bound_text(json.dumps(value, default=str), limit)
    if isinstance(value, Mapping):
        items = list(value.items())
        bounded = {
            bound_text(str(key), KEY_MAX, line=True): _bound(item, depth - 1, limit)
            for key, item in items[:ITEMS_MAX]
        }
        if len(items) > ITEMS_MAX:
            bounded["…"] = f"{len(items) - ITEMS_MAX} more entries cut"
        return bounded
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        bounded_list = [_bound(item, depth - 1, limit) for item in items[:ITEMS_MAX]]
        if len(items) > ITEMS_MAX:
            bounded_list.append(f"… {len(items) - ITEMS_MAX} more items cut")
        return bounded_list
    return bound_text(str(value), limit)


def _size(value: Any) -> int:
    return len(json.dumps(value, default=str, ensure_ascii=False))
