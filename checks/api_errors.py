"""API Error Burst: the bot's exchange calls keep failing, with no success in between."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checks.bursts import EventBurst, distinct, tally
from config.models import Count, Seconds
from config.policy import Policy, PolicyPart
from core.format import iso
from core.inputs import EventWindow, LoggedEvent
from core.status import Severity

_EXAMPLE_ERRORS = (
    ("ExchangeNotAvailable", "exchange returned 503 Service Unavailable"),
    ("RequestTimeout", "GET /api/v3/ticker timed out after 10000 ms"),
)


class ApiErrorsPolicy(PolicyPart):
    section = "monitoring"
    api_error_threshold: Count = 2
    api_error_lookback_seconds: Seconds = 300


class ApiErrors(EventBurst):
    name = "api_errors"
    title = "API Error Burst"
    severity = Severity.WARNING
    order = 50
    kind = "api_error"
    after_kind = "api_ok"
    sources = ("bot", "runner")  # each since its own last success
    noun = "consecutive API error"
    perf_label = "consecutive"
    action = "check_exchange_connectivity: exchange status, API key, rate limits"
    runbook = (
        "The exchange API keeps failing for the bot. 1) Check the exchange's status page. "
        "2) Read the error codes: 401/403 point at the API key or its permissions, 429 at rate "
        "limits, 5xx and timeouts at the exchange or the network. 3) If the runner's own calls "
        "fail too (source: runner), the problem is not the bot. 4) Watch the reconcile alert "
        "until calls succeed again; open orders may not be what the bot believes."
    )

    policy_part = ApiErrorsPolicy

    def limits(self, policy: Policy) -> tuple[int, int]:
        limits = policy.of(ApiErrorsPolicy)
        return limits.api_error_threshold, limits.api_error_lookback_seconds

    def figures(self, window: EventWindow, threshold: int, seconds: int) -> dict[str, Any]:
        events = window.events
        return {
            "consecutive_count": window.total,
            "threshold": threshold,
            "lookback_seconds": seconds,
            "first_error_at": iso(window.oldest),
            "last_error_at": iso(events[0].ts) if events else None,
            "last_api_ok_at": iso(window.after),
            "error_codes": tally(event.code for event in events),
            "affected_symbols": distinct(event.symbol for event in events),
            "sources": tally(event.source for event in events),
            "latest_message": events[0].message if events else None,
        }

    def example_event(self, ts: datetime, index: int) -> LoggedEvent:
        code, message = _EXAMPLE_ERRORS[index % len(_EXAMPLE_ERRORS)]
        return LoggedEvent(ts, "bot", symbol="BTC/USD", code=code, message=message)

    def detail(self, window: EventWindow) -> str:
        latest = window.events[0]
        where = f" on {latest.symbol}" if latest.symbol else ""
        said = ": ".join(part for part in (latest.code, latest.message) if part)
        return f"latest{where} ({latest.source})" + (f": {said}" if said else "")
