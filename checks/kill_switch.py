"""Kill Switch Activated: the bot's kill-switch file exists, so trading is halted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from checks.base import Check, Examples
from config.policy import Policy
from core.inputs import InputName, Inputs, KillSwitchFile
from core.results import CheckResult, Perfdata, Range
from core.status import Severity

_SHOWN_CONTENT = 500


class KillSwitch(Check):
    name = "kill_switch"
    title = "Kill Switch Activated"
    severity = Severity.CRITICAL
    order = 10
    needs = (InputName.KILL_SWITCH,)
    action = "trading_halted: confirm the reason, then remove the file to resume"
    runbook = (
        "The kill-switch file halts all trading. 1) Read its contents (the reason) and who "
        "created it. 2) If it was set on purpose, acknowledge this alert. 3) If not, find out "
        "which process wrote it before deleting it; trading resumes once it is gone."
    )

    def examples(self, policy: Policy, now: datetime) -> Examples:
        path = Path("data/KILL_SWITCH")
        halted = KillSwitchFile(
            path, True, "risk desk: halt all trading\n", now - timedelta(seconds=42)
        )
        return Examples(
            firing=Inputs({InputName.KILL_SWITCH: halted}),
            clear=Inputs({InputName.KILL_SWITCH: KillSwitchFile(path, False)}),
        )

    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        switch: KillSwitchFile = inputs[InputName.KILL_SWITCH]
        if not switch.exists:
            return self.ok(
                f"no kill-switch file at {switch.path}",
                {"path": str(switch.path)},
                Perfdata("active", 0, crit=Range.above(0), minimum=0, maximum=1),
            )
        context: dict[str, object] = {
            "path": str(switch.path),
            "content": switch.content[:_SHOWN_CONTENT],
        }
        since = ""
        if switch.modified_at is not None:
            age = max(0, int((now - switch.modified_at).total_seconds()))
            context["modified_at"] = switch.modified_at.isoformat()
            context["age_seconds"] = age
            since = f" since {switch.modified_at.isoformat(timespec='seconds')}"
        reason = switch.content.strip().splitlines()[0][:120] if switch.content.strip() else ""
        summary = f"{switch.path} exists{since}" + (f" ({reason})" if reason else "")
        return self.fire(
            summary,
            context,
            Perfdata("active", 1, crit=Range.above(0), minimum=0, maximum=1),
        )
