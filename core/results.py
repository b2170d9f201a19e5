"""What a check found: its status, summary, context and Nagios performance data.

Plain values shared by every layer: checks produce them, the lifecycle and the store read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.status import Severity, Status


@dataclass(frozen=True)
class Perfdata:
    """One Nagios performance datum: `label=value[uom];warn;crit;min;max`."""

    label: str
    value: float | int
    uom: str = ""
    warn: float | int | None = None
    crit: float | int | None = None
    minimum: float | int | None = None
    maximum: float | int | None = None

    def render(self) -> str:
        tail = [self.warn, self.crit, self.minimum, self.maximum]
        while tail and tail[-1] is None:
            tail.pop()
        text = f"{self.label}={_number(self.value)}{self.uom}"
        if tail:
            text += ";" + ";".join("" if v is None else _number(v) for v in tail)
        return text


def _number(value: float | int) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


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
        line = f"{self.status.name} - {self.title}: {self.summary}"
        if self.perfdata:
            line += " | " + " ".join(datum.render() for datum in self.perfdata)
        return line

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
