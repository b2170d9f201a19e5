"""The check framework: what a check declares, what it returns, and how it is run safely.

A check is a pure function of (inputs, policy, now). It declares the inputs it needs; when
one of them could not be read, the framework answers UNKNOWN with the reason and never
calls the check, so no check can mistake a missing input for a healthy one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from config.policy import Policy, PolicyPart
from core.inputs import EventQuery, InputName, Inputs
from core.results import CheckResult, Perfdata
from core.status import Severity, Status


@dataclass(frozen=True)
class Examples:
    """Inputs on which a check fires and inputs on which it is clear, under a given policy:
    the real check evaluated on them is its test notification, so a test can never drift
    from what a real alert says."""

    firing: Inputs
    clear: Inputs


class Check(ABC):
    """One row of the alert matrix, found by `checks.registry` in its own module.

    Subclasses set the class attributes, `evaluate` and `examples`; `policy_part` declares
    the check's keys in policy.yaml (defaults and validation).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    order: ClassVar[int]  # its row in the matrix: status and `check all` list by it
    needs: ClassVar[tuple[InputName, ...]]
    policy_part: ClassVar[type[PolicyPart] | None] = None
    action: ClassVar[str]  # what to do first when it fires (the runbook says how)
    runbook: ClassVar[str]

    @abstractmethod
    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        """Pure: the same inputs, policy and time always give the same result."""

    @abstractmethod
    def examples(self, policy: Policy, now: datetime) -> Examples:
        """Realistic inputs that make this check fire, and inputs that clear it."""

    def event_queries(self, policy: Policy, now: datetime) -> tuple[EventQuery, ...]:
        """The error-log windows the check reads (none, unless it counts events)."""
        return ()

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
