"""The template environment: Jinja2 with autoescape on for every template, so anything the
bot or the exchange wrote (a kill-switch reason, an exception message) is shown as text."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from core.format import duration


def environment(tz: tzinfo) -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["at"] = lambda moment: _at(moment, tz)
    env.filters["ago"] = _ago
    env.filters["show"] = _show
    env.filters["seconds"] = _seconds
    return env


def _at(moment: datetime | None, tz: tzinfo) -> str:
    return "-" if moment is None else f"{moment.astimezone(tz):%Y-%m-%d %H:%M:%S %Z}"


def _ago(moment: datetime | None, now: datetime) -> str:
    """`4m10s ago`; the page says how old each figure is."""
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    if seconds < 0:
        return "in " + _seconds(-seconds)
    return _seconds(seconds) + " ago"


def _seconds(value: float | None) -> str:
    """`4.2s`, `45s`, `12m05s`, `3h20m`: durations as the checks' summaries write them."""
    if value is None:
        return "-"
    return f"{value:.1f}s" if value < 10 else duration(value)


def _show(value: Any) -> str:
    """A context value as text: JSON for lists and objects (escaped by the template)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "-" if value is None else str(value)
