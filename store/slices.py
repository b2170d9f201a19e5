"""Grouping rows by time slices in SQL, so a plot of 30 days never loads 30 days of rows.

A slice of `seconds` is counted from the epoch: slice n holds the times in
[n * seconds, (n + 1) * seconds). SQL (`slice_number`) and Python (`slice_of`) agree.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def slice_number(session: Session, column: Any, seconds: float) -> ColumnElement[Any]:
    """The slice a time falls in: its epoch seconds divided by the slice width, floored."""
    if session.get_bind().dialect.name == "sqlite":
        # Whole seconds of the stored text ("2026-11-27 12:00:59.999999"): strftime would
        # round that to the next second, and the time into the next slice.
        whole_seconds = func.substr(column, 1, 19)
        epoch: ColumnElement[Any] = cast(func.strftime("%s", whole_seconds), Integer)
    else:
        epoch = func.extract("epoch", column)
    return func.floor(epoch / seconds)


def slice_of(moment: datetime, seconds: int) -> int:
    """The slice `moment` falls in, as `slice_number` computes it in SQL."""
    return math.floor(moment.timestamp()) // seconds


def slice_start(number: int, seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=number * seconds)
