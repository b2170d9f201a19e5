"""The arithmetic shared by the loss checks: equity now against a baseline (start of day,
start of week, peak). One rule: the check fires when the change since the baseline is a loss
of the threshold or more (a drawdown is the loss since the peak)."""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime, timedelta
from typing import Any, ClassVar

from checks.base import Check, Examples
from config.policy import Policy
from core.format import iso, money, settled
from core.inputs import Baseline, Equity, InputName, Inputs
from core.results import CheckResult, Perfdata, Range
from core.status import Severity

_EXAMPLE_BASELINE = 10_500.0


class EquityChangeCheck(Check):
    severity = Severity.CRITICAL
    needs = (InputName.EQUITY,)
    baseline_name: ClassVar[str]  # the Equity field: day_start, week_start or peak
    since: ClassVar[str]  # "the start of the day", in summaries
    perf_label: ClassVar[str]

    @abstractmethod
    def threshold_pct(self, policy: Policy) -> float:
        """The loss (a positive percentage) that fires."""

    def examples(self, policy: Policy, now: datetime) -> Examples:
        """Equity half a point past the limit below its baseline, and half the limit down."""
        limit = self.threshold_pct(policy)

        def equity(change_pct: float) -> Inputs:
            start = Baseline(
                _EXAMPLE_BASELINE, f"snapshot at {self.since}", now - timedelta(hours=9)
            )
            value = Equity(
                _EXAMPLE_BASELINE * (1 + change_pct / 100), "USD", "exchange", start, start, start
            )
            return Inputs({InputName.EQUITY: value})

        return Examples(firing=equity(-(limit + 0.5)), clear=equity(-limit / 2))

    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        equity: Equity = inputs[InputName.EQUITY]
        baseline: Baseline = getattr(equity, self.baseline_name)
        threshold = self.threshold_pct(policy)
        context = _context(equity, baseline, threshold)
        if baseline.value is None:
            return self.unknown(baseline.source, context)
        if baseline.value <= 0:
            return self.unknown(
                f"the equity at {self.since} is {baseline.value}: no percentage change "
                "can be computed from it",
                context,
            )
        change = equity.value - baseline.value
        change_pct = settled(change / baseline.value * 100)
        context.update(change_pct=round(change_pct, 4), change_usd=round(change, 2))
        # A loss of exactly the threshold fires: `@3:`, of the figure compared (not rounded).
        loss = max(0.0, -change_pct)
        perf = Perfdata(self.perf_label, loss, "%", crit=Range.at_least(threshold), minimum=0)
        summary = (
            f"{change_pct:+.2f}% since {self.since}: {money(equity.value, equity.currency)} "
            f"against {money(baseline.value, equity.currency)}"
        )
        if change_pct <= -threshold:
            return self.fire(f"{summary}; limit -{threshold:g}%", context, perf)
        return self.ok(summary, context, perf)


def _context(equity: Equity, baseline: Baseline, threshold: float) -> dict[str, Any]:
    context: dict[str, Any] = {
        "equity": round(equity.value, 2),
        "currency": equity.currency,
        "equity_source": equity.source,
        "baseline": baseline.value,
        "baseline_source": baseline.source,
        "baseline_at": iso(baseline.at),
        "period_start": iso(baseline.period_start),
        "threshold_pct": threshold,
    }
    if equity.unpriced:
        context["unpriced_assets"] = list(equity.unpriced)
    context.update(equity.details)
    return context
