"""Realistic test notifications for every alert of the matrix (`test-alerts`).

`--production-scenarios` sends what a real incident would look like (the plan's context
fields and figures), so an operator sees in Slack or PagerDuty exactly what 3 a.m. brings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checks.base import Check
from core.keys import alert_key
from store.models import Alert

SCENARIOS: dict[str, tuple[str, dict[str, Any]]] = {
    "kill_switch": (
        "data/KILL_SWITCH exists since 2026-11-27T03:12:09+00:00 (risk desk: halt all trading)",
        {
            "path": "data/KILL_SWITCH",
            "content": "risk desk: halt all trading",
            "age_seconds": 42,
        },
    ),
    "daily_loss": (
        "equity 10 185.00 USD is -3.0% since the start of the day (limit -3.0%)",
        {
            "equity": 10185.0,
            "baseline": 10500.0,
            "baseline_source": "snapshot at 2026-11-27T00:00:00+00:00",
            "change_pct": -3.0,
            "change_usd": -315.0,
            "threshold_pct": 3.0,
            "currency": "USD",
        },
    ),
    "weekly_loss": (
        "equity 10 230.00 USD is -7.0% since the start of the week (limit -7.0%)",
        {
            "equity": 10230.0,
            "baseline": 11000.0,
            "baseline_source": "snapshot at 2026-11-23T00:00:00+00:00",
            "change_pct": -7.0,
            "change_usd": -770.0,
            "threshold_pct": 7.0,
            "currency": "USD",
        },
    ),
    "drawdown": (
        "equity 10 350.00 USD is 10.0% below the peak 11 500.00 USD (limit 10.0%)",
        {
            "equity": 10350.0,
            "peak": 11500.0,
            "drawdown_pct": 10.0,
            "threshold_pct": 10.0,
            "currency": "USD",
        },
    ),
    "api_errors": (
        "3 consecutive API errors in the last 300s (threshold 2)",
        {
            "consecutive_count": 3,
            "threshold": 2,
            "lookback_seconds": 300,
            "error_codes": {"503": 2, "RequestTimeout": 1},
            "affected_symbols": ["BTC/USD"],
            "latest_message": "exchange returned 503 Service Unavailable",
        },
    ),
    "reconcile": (
        "1 position differs from the exchange",
        {
            "mismatches": [
                {
                    "symbol": "BTC/USD",
                    "local_qty": 0.01,
                    "exchange_qty": 0.009,
                    "diff_pct": 10.0,
                    "diff_usd": 50.0,
                }
            ],
            "total_count": 1,
        },
    ),
    "rejections": (
        "4 orders rejected in 600s (threshold 3)",
        {
            "rejection_count": 4,
            "window_seconds": 600,
            "rejection_reasons": {"INSUFFICIENT_FUNDS": 3, "INVALID_PRICE": 1},
            "affected_symbols": ["ETH/USD", "SOL/USD"],
        },
    ),
    "exceptions": (
        "3 bot exceptions in 300s (threshold 2)",
        {
            "exception_count": 3,
            "window_seconds": 300,
            "exception_types": {"KeyError": 2, "TimeoutError": 1},
            "latest_exception": "KeyError",
        },
    ),
    "universe": (
        "only 1 eligible asset (minimum 2)",
        {
            "eligible_count": 1,
            "threshold": 2,
            "total_assets": 48,
            "ineligibility_reasons": {"low_volume": 31, "inactive": 12, "quote_not_allowed": 4},
        },
    ),
    "heartbeat": (
        "no state update for 9m40s (limit 5m00s; last updated_at 2026-11-27T03:02:31+00:00)",
        {
            "path": "data/state.json",
            "age_seconds": 580,
            "max_age_seconds": 300,
        },
    ),
}


def scenario_alert(check: Check, account: str, now: datetime, production: bool) -> Alert:
    """An unsaved alert row carrying a test notification's content for `check`."""
    summary, context = SCENARIOS[check.name]
    context = {**context, "action": check.action}  # the check's own words, never a copy
    if not production:
        summary, context = f"test notification for {check.title}", {"test": True}
    return Alert(
        key=alert_key(account, check.name),
        account=account,
        name=check.name,
        title=check.title,
        severity=check.severity.name,
        summary=summary,
        context=context,
        first_seen=now,
        last_seen=now,
        notification_count=1,
    )
