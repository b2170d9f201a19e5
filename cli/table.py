"""Plain-text tables for the operator commands: aligned columns, the last one trimmed."""

from __future__ import annotations

from collections.abc import Sequence

_LAST_COLUMN_MAX = 90


def render(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    trimmed = [[*row[:-1], _trim(row[-1])] for row in rows]
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(header, *trimmed, strict=True)
    ]
    lines = [_line(header, widths)] + [_line(row, widths) for row in trimmed]
    return "\n".join(line.rstrip() for line in lines)


def _line(cells: Sequence[str], widths: list[int]) -> str:
    return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))


def _trim(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _LAST_COLUMN_MAX else text[: _LAST_COLUMN_MAX - 1] + "…"


def when(moment: object) -> str:
    """A timestamp as `2026-11-27 14:03:05Z`, or `-`."""
    if moment is None:
        return "-"
    return moment.strftime("%Y-%m-%d %H:%M:%SZ")  # type: ignore[attr-defined]
