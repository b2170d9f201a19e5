"""Where the trading day and week begin: 00:00 (week: Monday) in the configured time zone.

Computed from the local calendar date, not by subtracting hours, so a DST change inside the
day or week moves nothing: the boundary is always the local midnight.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo


def day_start(now: datetime, tz: tzinfo) -> datetime:
    """00:00 of `now`'s local date in `tz`, as an aware datetime."""
    return datetime.combine(now.astimezone(tz).date(), time(0), tzinfo=tz)


def week_start(now: datetime, tz: tzinfo) -> datetime:
    """00:00 of the Monday of `now`'s local week in `tz`."""
    local = now.astimezone(tz).date()
    return datetime.combine(local - timedelta(days=local.weekday()), time(0), tzinfo=tz)
