"""Exception Burst: the bot's trading loop keeps raising exceptions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checks.bursts import EventBurst, tally
from config.models import Count, Seconds
from config.policy import Policy, PolicyPart
from core.format import iso
from core.inputs import EventWindow, LoggedEvent
from core.status import Severity


class ExceptionsPolicy(PolicyPart):
    section = "monitoring"
    max_exceptions_per_window: Count = 2
    exception_window_seconds: Seconds = 300


class Exceptions(EventBurst):
    name = "exceptions"
    title = "Exception Burst"
    severity = Severity.CRITICAL
    order = 80
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

    policy_part = ExceptionsPolicy

    def limits(self, policy: Policy) -> tuple[int, int]:
        limits = policy.of(ExceptionsPolicy)
        return limits.max_exceptions_per_window, limits.exception_window_seconds

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

    def example_event(self, ts: datetime, index: int) -> LoggedEvent:
        return LoggedEvent(
            ts,
            "bot",
            code="KeyError",
            message="'BTC/USD'",
            context={"traceback": "strategy.py:88 in signal\n    price = book[symbol]"},
        )

    def detail(self, window: EventWindow) -> str:
        return f"latest {_label(window.events[0])}"


def _label(event: LoggedEvent) -> str:
    """`ZeroDivisionError: division by zero`, as Python prints it."""
    kind = event.code or "exception"
    return f"{kind}: {event.message}" if event.message else kind
