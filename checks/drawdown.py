"""Max Drawdown Breached: equity is the drawdown limit or more below its peak."""

from __future__ import annotations

from checks.equity_change import EquityChangeCheck
from config.models import Percent
from config.policy import Policy, PolicyPart


class DrawdownPolicy(PolicyPart):
    section = "risk"
    max_drawdown_pct: Percent = 10.0


class Drawdown(EquityChangeCheck):
    order = 40
    name = "drawdown"
    title = "Max Drawdown Breached"
    baseline_name = "peak"
    since = "the peak"
    perf_label = "drawdown"
    action = "halt_trading: the strategy is outside its risk envelope"
    runbook = (
        "Equity is the maximum drawdown or more below its peak. 1) Halt the bot (kill switch) "
        "unless it already stopped. 2) Verify the peak and the equity (context: baseline_at, "
        "baseline_source): a withdrawal also lowers equity and reads as a drawdown. "
        "3) Escalate to the strategy owner before resuming."
    )

    policy_part = DrawdownPolicy

    def threshold_pct(self, policy: Policy) -> float:
        return policy.of(DrawdownPolicy).max_drawdown_pct
