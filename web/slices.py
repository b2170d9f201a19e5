"""Grouping rows by time slices in SQL, so a plot of 30 days never loads 30 days of rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, cast, func
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def slice_number(session: Session, column: Any, seconds: float) -> ColumnElement[Any]:
    """The slice a time falls in: its epoch seconds divided by the slice width, floored."""
    if session.get_bind().dialect.name == "sqlite":
        epoch: ColumnElement[Any] = cast(func.strftime("%s", column), Integer)
    else:
        epoch = func.extract("epoch", column)
    return func.floor(epoch / seconds)
