"""Bot Heartbeat Stale: the bot has not written its state for too long (hung or dead)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

from checks.base import Check, Examples
from config.models import Seconds
from config.policy import Policy, PolicyPart
from core.format import duration
from core.inputs import BotState, InputName, Inputs
from core.results import CheckResult, Perfdata, Range
from core.status import Severity


class HeartbeatPolicy(PolicyPart):
    section = "monitoring"
    heartbeat_max_age_seconds: Seconds = 300


class Heartbeat(Check):
    name = "heartbeat"
    title = "Bot Heartbeat Stale"
    severity = Severity.CRITICAL
    order = 100
    needs = (InputName.BOT_STATE,)
    policy_part = HeartbeatPolicy
    action = "check_bot_process: the bot may be hung or dead"
    runbook = (
        "The bot stopped updating its state file. 1) Is the bot process running "
        "(systemctl status / ps)? 2) Read its last log lines for a crash or a hang. "
        "3) Check the exchange's status page and the API Error Burst alert. 4) Restart the "
        "bot only after confirming its open positions on the exchange."
    )

    def examples(self, policy: Policy, now: datetime) -> Examples:
        max_age = policy.of(HeartbeatPolicy).heartbeat_max_age_seconds

        def state(age: float) -> Inputs:
            written = now - timedelta(seconds=age)
            found = BotState(Path("data/state.json"), {}, written, written)
            return Inputs({InputName.BOT_STATE: found})

        return Examples(firing=state(max_age * 2 - 20), clear=state(min(10, max_age / 2)))

    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        state: BotState = inputs[InputName.BOT_STATE]
        max_age = policy.of(HeartbeatPolicy).heartbeat_max_age_seconds
        last, source = state.last_update
        age = (now - last).total_seconds()
        context = {
            "path": str(state.path),
            "last_update": last.isoformat(),
            "source": source,
            "age_seconds": round(age, 1),
            "max_age_seconds": max_age,
        }
        if -age > max_age:
            return self.unknown(
                f"{source} {last.isoformat()} is {int(-age)} s in the future; "
                "check the clocks of the bot and of this host",
                context,
            )
        # Rounded up to 0.1 s: an age just over the (whole-second) limit never reads as at it.
        shown = math.ceil(max(age, 0.0) * 10) / 10
        perf = Perfdata("age", shown, "s", crit=Range.above(max_age), minimum=0)
        if age > max_age:
            return self.fire(
                f"no state update for {duration(age)} (limit {duration(max_age)}; "
                f"last {source} {last.isoformat(timespec='seconds')})",
                context,
                perf,
            )
        return self.ok(f"state updated {duration(max(age, 0.0))} ago", context, perf)
