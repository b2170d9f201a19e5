"""The error-log plots: events of the three burst checks per window, beside their threshold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checks.api_errors import ApiErrorsPolicy
from checks.exceptions import ExceptionsPolicy
from checks.rejections import RejectionsPolicy
from config.policy import Policy
from store.models import ErrorEvent
from store.slices import slice_number

WINDOWS_SHOWN = 48


@dataclass(frozen=True)
class CountSeries:
    check: str
    label: str
    window_seconds: int
    threshold: int
    start: datetime
    bars: list[tuple[datetime, int]]  # each window's start and its count, in time order

    @property
    def highest(self) -> int:
        return max((count for _, count in self.bars), default=0)


def error_counts(
    session: Session, policy: Policy, account: str, now: datetime
) -> list[CountSeries]:
    api, rejections = policy.of(ApiErrorsPolicy), policy.of(RejectionsPolicy)
    exceptions = policy.of(ExceptionsPolicy)
    wanted = (
        (
            "api_errors",
            "API errors",
            "api_error",
            None,
            api.api_error_lookback_seconds,
            api.api_error_threshold,
        ),
        (
            "rejections",
            "order rejections",
            "order_rejected",
            None,
            rejections.rejection_window_seconds,
            rejections.max_order_rejections,
        ),
        (
            "exceptions",
            "bot exceptions",
            "exception",
            "bot",
            exceptions.exception_window_seconds,
            exceptions.max_exceptions_per_window,
        ),
    )
    return [
        _series(session, account, now, check, label, kind, source, seconds, threshold)
        for check, label, kind, source, seconds, threshold in wanted
    ]


def _series(
    session: Session,
    account: str,
    now: datetime,
    check: str,
    label: str,
    kind: str,
    source: str | None,
    seconds: int,
    threshold: int,
) -> CountSeries:
    start = now - timedelta(seconds=seconds * WINDOWS_SHOWN)
    number = slice_number(session, ErrorEvent.ts, seconds)
    query = (
        select(func.min(ErrorEvent.ts), func.count())
        .where(ErrorEvent.account == account, ErrorEvent.kind == kind, ErrorEvent.ts >= start)
        .group_by(number)
        .order_by(number)
    )
    if source is not None:
        query = query.where(ErrorEvent.source == source)
    bars = [(ts, count) for ts, count in session.execute(query)]
    return CountSeries(check, label, seconds, threshold, start, bars)
