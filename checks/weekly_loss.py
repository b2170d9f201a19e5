"""Weekly Stop Loss Hit: equity fell by the weekly limit or more since Monday 00:00."""

from __future__ import annotations

from checks.equity_change import EquityChangeCheck
from config.models import Percent
from config.policy import Policy, PolicyPart


class WeeklyLossPolicy(PolicyPart):
    section = "risk"
    weekly_stop_loss_pct: Percent = 7.0


class WeeklyLoss(EquityChangeCheck):
    order = 30
    name = "weekly_loss"
    title = "Weekly Stop Loss Hit"
    baseline_name = "week_start"
    since = "the start of the week"
    perf_label = "week_loss"
    action = "stop_trading_for_the_week: confirm the bot has halted new entries"
    runbook = (
        "Equity is down by the weekly stop-loss or more since Monday 00:00. 1) Confirm the bot "
        "halted new entries. 2) Check the figures against the exchange (context: baseline, "
        "baseline_at, unpriced_assets). 3) Resume only after a review of the week's trades."
    )

    policy_part = WeeklyLossPolicy

    def threshold_pct(self, policy: Policy) -> float:
        return policy.of(WeeklyLossPolicy).weekly_stop_loss_pct
