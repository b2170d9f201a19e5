"""Shared file helpers for sources: mtimes as aware UTC datetimes."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def mtime_utc(stat: os.stat_result) -> datetime:
    return datetime.fromtimestamp(stat.st_mtime, UTC)
