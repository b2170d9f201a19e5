"""Small text helpers shared by checks, so summaries read the same everywhere."""

from __future__ import annotations

from datetime import datetime


def duration(seconds: float) -> str:
    """`45s`, `12m05s`, `3h20m`: short and unambiguous in a one-line summary."""
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def settled(value: float) -> float:
    """`value` without float noise, so a figure exactly at a threshold compares as written
    (0.0002 BTC x 50 000 is 10.000000000000002, and must not exceed a $10 limit)."""
    return round(value, 9)


def money(amount: float, currency: str) -> str:
    """`12,345.67 USD`: amounts in summaries."""
    return f"{amount:,.2f} {currency}"


def iso(moment: datetime | None) -> str | None:
    """A moment for a JSON context or payload; None stays None."""
    return moment.isoformat() if moment else None


def shown(value: object, limit: int = 80) -> str:
    """A bad input value for an error line: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
