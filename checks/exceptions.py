"""Exception Burst: the bot's trading loop keeps raising exceptions."""

from __future__ import annotations

from typing import Any

from checks.bursts import EventBurst, tally
from config.models import Policy
from core.format import iso
from core.inputs import EventWindow, LoggedEvent
from core.status import Severity


class Exceptions(EventBurst):
    name = "exceptions"
    title = "Exception Burst"
    severity = Severity.CRITICAL
    kind = "exception"
    sources = ("bot",)  # the runner's own failures are in the error log too, not the bot's
    noun = "bot exception"
    perf_label = "exceptions"
    action = "check_for_systemic_issue: read the latest traceback"
    runbook = (
        "The bot's trading loop keeps failing. 1) Read the latest exception and its "
        "traceback (in this alert's context and the bot's log). 2) One type repeating points "
        "at a systemic cause: a bad deploy, a changed exchange response, a full disk, a "
        "broken dependency. 3) If orders may be placed wrongly, set the kill switch first, "
        "then fix and restart the bot."
    )

    def limits(self, policy: Policy) -> tuple[int, int]:
        monitoring = policy.monitoring
        return monitoring.max_exceptions_per_window, monitoring.exception_window_seconds

    def figures(self, window: EventWindow, threshold: int, seconds: int) -> dict[str, Any]:
        events = window.events
        latest = events[0] if events else None
        return {
            "exception_count": window.total,
            "threshold": threshold,
            "window_seconds": seconds,
            "exception_types": tally(event.code for event in events),
            "latest_exception": _label(latest) if latest else None,
            "latest_exception_at": iso(latest.ts) if latest else None,
            "latest_traceback": (latest.context or {}).get("traceback") if latest else None,
        }

    def detail(self, window: EventWindow) -> str:
        return f"latest {_label(window.events[0])}"


def _label(event: LoggedEvent) -> str:
    """`ZeroDivisionError: division by zero`, as Python prints it."""
    kind = event.code or "exception"
    return f"{kind}: {event.message}" if event.message else kind
