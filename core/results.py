"""What a check found: its status, summary, context and Nagios performance data.

Plain values shared by every layer: checks produce them, the lifecycle and the store read them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.status import Severity, Status
from core.untrusted import one_line

STATUS_LINE_MAX = 1024  # bytes: NRPE 2 passes no more, and the perfdata must survive it


@dataclass(frozen=True)
class Range:
    """A threshold in the plugin guidelines' range syntax. The plugin alerts when the value
    lies outside [start, end] (inside, for `@`); None is infinity on that side."""

    start: float | None = 0
    end: float | None = None
    inside: bool = False

    @classmethod
    def above(cls, limit: float) -> Range:
        """Alert when the value exceeds `limit` (or is negative): `10`."""
        return cls(0, limit)

    @classmethod
    def below(cls, limit: float) -> Range:
        """Alert when the value is less than `limit`: `2:`."""
        return cls(limit, None)

    @classmethod
    def at_least(cls, limit: float) -> Range:
        """Alert when the value is `limit` or more: `@3:`."""
        return cls(limit, None, inside=True)

    def alerts(self, value: float) -> bool:
        within = (self.start is None or value >= self.start) and (
            self.end is None or value <= self.end
        )
        return within if self.inside else not within

    def render(self) -> str:
        if self.start == 0 and self.end is not None:
            text = decimal(self.end)
        else:
            start = "~" if self.start is None else decimal(self.start)
            text = f"{start}:{'' if self.end is None else decimal(self.end)}"
        return f"@{text}" if self.inside else text


@dataclass(frozen=True)
class Perfdata:
    """One Nagios performance datum: `label=value[uom];warn;crit;min;max`."""

    label: str
    value: float | int
    uom: str = ""
    warn: Range | None = None
    crit: Range | None = None
    minimum: float | int | None = None
    maximum: float | int | None = None

    def render(self) -> str:
        tail = [
            self.warn.render() if self.warn else "",
            self.crit.render() if self.crit else "",
            "" if self.minimum is None else decimal(self.minimum),
            "" if self.maximum is None else decimal(self.maximum),
        ]
        while tail and not tail[-1]:
            tail.pop()
        text = f"{self.label}={decimal(self.value)}{self.uom}"
        return ";".join([text, *tail])


def decimal(value: float | int) -> str:
    """A number as the guidelines allow (`[-0-9.]`): never an exponent, never `inf`/`nan`
    (`U`, their "undetermined")."""
    if isinstance(value, float) and not math.isfinite(value):
        return "U"
    text = format(Decimal(repr(value)), "f")
    return text.removesuffix(".0") if "." in text else text


def nagios_line(text: str, perfdata: Iterable[str] = ()) -> str:
    """A status line of at most `STATUS_LINE_MAX` bytes: one line, no `|` in the text (it
    would start the perfdata), and the text cut rather than the perfdata."""
    perf = " ".join(perfdata)
    tail = f" | {perf}" if perf else ""
    text = one_line(text).replace("|", "/")
    room = STATUS_LINE_MAX - len(tail.encode())
    if len(text.encode()) > room:
        text = text.encode()[: max(room - 3, 0)].decode(errors="ignore") + "..."
    return text + tail


@dataclass(frozen=True)
class CheckResult:
    """What one evaluation found; `context` carries the figures an operator acts on."""

    name: str
    title: str
    status: Status
    severity: Severity
    summary: str
    context: Mapping[str, Any] = field(default_factory=dict)
    action: str = ""
    runbook: str = ""
    perfdata: tuple[Perfdata, ...] = ()

    @property
    def firing(self) -> bool:
        return self.status in (Status.WARNING, Status.CRITICAL)

    def status_line(self) -> str:
        """The Nagios plugin status line: `CRITICAL - Kill Switch Activated: ... | perf`."""
        return nagios_line(
            f"{self.status.name} - {self.title}: {self.summary}",
            (datum.render() for datum in self.perfdata),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status.name,
            "severity": self.severity.name,
            "summary": self.summary,
            "context": dict(self.context),
            "action": self.action,
            "runbook": self.runbook,
            "perfdata": [datum.render() for datum in self.perfdata],
        }
