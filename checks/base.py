"""The check framework: what a check declares, what it returns, and how it is run safely.

A check is a pure function of (inputs, policy, now). It declares the inputs it needs; when
one of them could not be read, the framework answers UNKNOWN with the reason and never
calls the check, so no check can mistake a missing input for a healthy one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from checks.inputs import InputName, Inputs
from config.models import Policy
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


class Check(ABC):
    """One row of the alert matrix. Subclasses set the class attributes and `evaluate`."""

    name: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    needs: ClassVar[tuple[InputName, ...]]
    action: ClassVar[str]  # what to do first when it fires (the runbook says how)
    runbook: ClassVar[str]

    @abstractmethod
    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        """Pure: the same inputs, policy and time always give the same result."""

    def run(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        """Evaluate, unless an input is missing; a crash of the check is UNKNOWN, not OK."""
        failed = [name for name in self.needs if name in inputs.errors]
        if failed:
            return self.unknown(
                "; ".join(f"{name}: {inputs.errors[name]}" for name in failed),
                {
                    "failed_inputs": [name.value for name in failed],
                    "exchange_unavailable": set(failed) <= inputs.exchange_failures,
                },
            )
        absent = [name.value for name in self.needs if name not in inputs.values]
        if absent:
            return self.unknown(f"input not loaded: {', '.join(absent)}")
        try:
            return self.evaluate(inputs, policy, now)
        except Exception as error:  # noqa: BLE001 - a broken check must read as UNKNOWN
            return self.unknown(f"the check failed: {type(error).__name__}: {error}")

    def ok(
        self, summary: str, context: Mapping[str, Any] | None = None, *perf: Perfdata
    ) -> CheckResult:
        return self._result(Status.OK, summary, context, "", perf)

    def fire(
        self, summary: str, context: Mapping[str, Any] | None = None, *perf: Perfdata
    ) -> CheckResult:
        return self._result(self.severity.status, summary, context, self.action, perf)

    def unknown(self, reason: str, context: Mapping[str, Any] | None = None) -> CheckResult:
        return self._result(
            Status.UNKNOWN,
            f"cannot evaluate: {reason}",
            {"reason": reason, **(context or {})},
            "",
            (),
        )

    def _result(
        self,
        status: Status,
        summary: str,
        context: Mapping[str, Any] | None,
        action: str,
        perf: tuple[Perfdata, ...],
    ) -> CheckResult:
        context = dict(context or {})
        if action:
            context.setdefault("action", action)
        return CheckResult(
            name=self.name,
            title=self.title,
            status=status,
            severity=self.severity,
            summary=summary,
            context=context,
            action=action,
            runbook=self.runbook,
            perfdata=perf,
        )
