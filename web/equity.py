"""The equity plot's data: stored snapshots over a window in 240 time slices, read from their
rollup (min and max of each slice, so no dip is smoothed away), the drawdown curve below the
running peak, and the baselines and limit lines of the three loss checks.

Baselines come from the loss alerts' last context, so the lines are exactly what the checks
compared with; thresholds from that context too, else from policy.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checks.daily_loss import DailyLossPolicy
from checks.drawdown import DrawdownPolicy
from checks.weekly_loss import WeeklyLossPolicy
from config.loader import Settings
from config.policy import EquityPolicy, Policy
from core.keys import alert_key
from store.equity_snapshots import Slice, SnapshotHistory
from store.models import Alert

WINDOWS = {"day": timedelta(days=1), "week": timedelta(days=7), "30d": timedelta(days=30)}
SLICES = 240  # each window's slice width is one the store keeps a rollup of

Point = tuple[datetime, float]


@dataclass(frozen=True)
class Level:
    """A horizontal line: a baseline, or where a loss check fires."""

    kind: str  # day_baseline, week_baseline, peak, daily_limit, weekly_limit, drawdown_limit
    label: str
    value: float


@dataclass(frozen=True)
class EquitySeries:
    account: str
    currency: str
    window: str
    start: datetime
    end: datetime
    points: list[Point]
    drawdown: list[Point]  # percent below the running peak
    levels: list[Level]
    drawdown_limit_pct: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "currency": self.currency,
            "window": self.window,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "points": [[ts.isoformat(), value] for ts, value in self.points],
            "drawdown_pct": [[ts.isoformat(), value] for ts, value in self.drawdown],
            "levels": [vars(level) for level in self.levels],
            "drawdown_limit_pct": self.drawdown_limit_pct,
        }


def equity_series(
    session: Session, settings: Settings, account: str, window: str, now: datetime
) -> EquitySeries:
    policy = (settings.of_account(account) or settings).policy
    currency = policy.of(EquityPolicy).equity_currency
    start = now - WINDOWS[window]
    history = SnapshotHistory(session, account, currency)
    slices = history.slices(start, int(WINDOWS[window].total_seconds()) // SLICES)
    contexts = _contexts(session, account)
    limit_pct = _pct(contexts["drawdown"], policy.of(DrawdownPolicy).max_drawdown_pct)
    return EquitySeries(
        account,
        currency,
        window,
        start,
        now,
        _min_max_path(slices),
        _drawdown(slices, history.peak_before(start)),
        _levels(contexts, policy),
        limit_pct,
    )


def _min_max_path(slices: list[Slice]) -> list[Point]:
    """Both extremes of every slice, the one nearer the previous point first, so no dip is
    smoothed away."""
    path: list[Point] = []
    for first, last, low, high in slices:
        ends = (low, high)
        if path and abs(path[-1][1] - high) < abs(path[-1][1] - low):
            ends = (high, low)
        path += _across(first, last, *ends)
    return path


def _drawdown(slices: list[Slice], peak: float | None) -> list[Point]:
    """Each slice's deepest drawdown below the running peak, in percent: the peak starts at
    the highest equity stored before the window (None: nothing before it)."""
    curve: list[Point] = []
    for first, last, low, high in slices:
        peak = max(peak or high, high)
        depth = round((peak - low) / peak * 100, 4) if peak > 0 else 0.0
        curve += _across(first, last, depth, depth)
    return curve


def _across(first: datetime, last: datetime, start: float, end: float) -> list[Point]:
    """A slice drawn from its first snapshot's time to its last one's (one point when it
    holds one snapshot), so a line covers the time its snapshots do."""
    return [(first, start)] if first == last else [(first, start), (last, end)]


_CHECKS = (
    # check, its baseline's level and label, its limit's level and label
    ("daily_loss", "day_baseline", "start of day", "daily_limit", "daily loss"),
    ("weekly_loss", "week_baseline", "start of week", "weekly_limit", "weekly loss"),
    ("drawdown", "peak", "peak", "drawdown_limit", "drawdown"),
)


def _levels(contexts: dict[str, dict[str, Any]], policy: Policy) -> list[Level]:
    defaults = {
        "daily_loss": policy.of(DailyLossPolicy).daily_stop_loss_pct,
        "weekly_loss": policy.of(WeeklyLossPolicy).weekly_stop_loss_pct,
        "drawdown": policy.of(DrawdownPolicy).max_drawdown_pct,
    }
    levels = []
    for check, base_kind, base_label, limit_kind, limit_label in _CHECKS:
        baseline = contexts[check].get("baseline")
        if not isinstance(baseline, int | float) or baseline <= 0:
            continue
        pct = _pct(contexts[check], defaults[check])
        levels.append(Level(base_kind, base_label, float(baseline)))
        levels.append(Level(limit_kind, f"{limit_label} -{pct:g}%", baseline * (1 - pct / 100)))
    return levels


def _contexts(session: Session, account: str) -> dict[str, dict[str, Any]]:
    """The last context of each loss check's alert (empty when it has none), in one query."""
    keys = {alert_key(account, check): check for check, *_ in _CHECKS}
    rows = session.execute(select(Alert.key, Alert.context).where(Alert.key.in_(keys)))
    found = {keys[key]: dict(context or {}) for key, context in rows}
    return {check: found.get(check, {}) for check in keys.values()}


def _pct(context: dict[str, Any], default: float) -> float:
    value = context.get("threshold_pct", default)
    return float(value) if isinstance(value, int | float) else default
