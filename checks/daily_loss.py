"""Daily Stop Loss Hit: equity fell by the daily limit or more since 00:00 (`timezone`)."""

from __future__ import annotations

from checks.equity_change import EquityChangeCheck
from config.models import Percent
from config.policy import Policy, PolicyPart


class DailyLossPolicy(PolicyPart):
    section = "risk"
    daily_stop_loss_pct: Percent = 3.0


class DailyLoss(EquityChangeCheck):
    order = 20
    name = "daily_loss"
    title = "Daily Stop Loss Hit"
    baseline_name = "day_start"
    since = "the start of the day"
    perf_label = "day_loss"
    action = "stop_trading_for_the_day: confirm the bot has halted new entries"
    runbook = (
        "Equity is down by the daily stop-loss or more since 00:00. 1) Confirm the bot stopped "
        "opening positions (its own daily stop). 2) Compare the equity with the exchange's "
        "account page: a wrong price or a missing balance shows in the context "
        "(baseline_source, unpriced_assets). 3) Review the day's fills before resuming."
    )

    policy_part = DailyLossPolicy

    def threshold_pct(self, policy: Policy) -> float:
        return policy.of(DailyLossPolicy).daily_stop_loss_pct
