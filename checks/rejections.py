"""Order Rejection Burst: the exchange keeps refusing the bot's orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checks.bursts import EventBurst, distinct, short_tally, tally
from config.models import Count, Seconds
from config.policy import Policy, PolicyPart
from core.format import iso
from core.inputs import EventWindow, LoggedEvent
from core.status import Severity

_EXAMPLE_REJECTIONS = (
    ("ETH/USD", "INSUFFICIENT_FUNDS", "not enough USD to buy 0.5 ETH"),
    ("SOL/USD", "INSUFFICIENT_FUNDS", "not enough USD to buy 12 SOL"),
    ("ETH/USD", "INVALID_PRICE", "limit price outside the allowed band"),
)


class RejectionsPolicy(PolicyPart):
    section = "execution"
    max_order_rejections: Count = 3
    rejection_window_seconds: Seconds = 600


class Rejections(EventBurst):
    name = "rejections"
    title = "Order Rejection Burst"
    severity = Severity.WARNING
    order = 70
    kind = "order_rejected"
    noun = "order rejection"
    perf_label = "rejections"
    action = "check_order_parameters: balances, minimum sizes, symbol status, rate limits"
    runbook = (
        "The exchange rejects the bot's orders. 1) Read the rejection reasons: insufficient "
        "funds, minimum size or notional, price bands, a halted or delisted symbol, rate "
        "limits. 2) Compare the bot's balances and positions with the exchange. 3) If one "
        "symbol is affected, exclude it; if all are, consider the kill switch until the cause "
        "is fixed."
    )

    policy_part = RejectionsPolicy

    def limits(self, policy: Policy) -> tuple[int, int]:
        limits = policy.of(RejectionsPolicy)
        return limits.max_order_rejections, limits.rejection_window_seconds

    def figures(self, window: EventWindow, threshold: int, seconds: int) -> dict[str, Any]:
        events = window.events
        return {
            "rejection_count": window.total,
            "threshold": threshold,
            "window_seconds": seconds,
            "rejection_reasons": tally(_reason(event) for event in events),
            "affected_symbols": distinct(event.symbol for event in events),
            "first_rejection_at": iso(window.oldest),
            "last_rejection_at": iso(events[0].ts) if events else None,
        }

    def example_event(self, ts: datetime, index: int) -> LoggedEvent:
        symbol, code, message = _EXAMPLE_REJECTIONS[index % len(_EXAMPLE_REJECTIONS)]
        return LoggedEvent(ts, "bot", symbol=symbol, code=code, message=message)

    def detail(self, window: EventWindow) -> str:
        return short_tally(tally(_reason(event) for event in window.events))


def _reason(event: LoggedEvent) -> str:
    """Rejections are counted by the exchange's code, else by its message."""
    return event.code or event.message or "unknown"
