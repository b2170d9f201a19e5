"""The one clock: every 'now' in alert-matrix comes from here, so freezegun can drive it."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def now(tz: tzinfo = UTC) -> datetime:
    """The current time as an aware datetime in ``tz`` (UTC by default)."""
    return datetime.now(tz)


def utcnow() -> datetime:
    """The current time in UTC; what the database stores."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """The same moment in UTC; a datetime without a zone is taken as UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
