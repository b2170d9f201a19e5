"""The one clock: every 'now' in alert-matrix comes from here, so freezegun can drive it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


def now(tz: tzinfo = UTC) -> datetime:
    """The current time as an aware datetime in ``tz`` (UTC by default)."""
    return datetime.now(tz)


def utcnow() -> datetime:
    """The current time in UTC; what the database stores."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """The same moment in UTC; a datetime without a zone is taken as UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# No crypto trading bot wrote anything before the first bitcoin block (3 January 2009).
EARLIEST_EVENT = datetime(2009, 1, 3, tzinfo=UTC)
# Clocks drift, and a bot's host may run ahead of this one; a day ahead is not drift.
MAX_AHEAD = timedelta(days=1)


def implausible(moment: datetime, now: datetime | None = None) -> str | None:
    """Why `moment` cannot be a real event time (too early, or too far ahead), else None.
    An event stamped years ahead would count in every window until then."""
    moment = as_utc(moment)
    if moment < EARLIEST_EVENT:
        return f"{moment.isoformat()} is before {EARLIEST_EVENT.date()}"
    now = now or utcnow()
    if moment > now + MAX_AHEAD:
        return f"{moment.isoformat()} is more than a day ahead of this host's clock"
    return None
