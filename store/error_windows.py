"""Window queries on the error log: indexed range scans on (account, kind, ts), newest first,
capped in rows, with an exact count only when the cap is reached."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core.inputs import EventQuery, EventWindow, LoggedEvent
from store.models import ErrorEvent

ROWS_PER_WINDOW = 500

_NEWEST_FIRST = (ErrorEvent.ts.desc(), ErrorEvent.id.desc())


def read_window(
    session: Session, account: str, query: EventQuery, cap: int = ROWS_PER_WINDOW
) -> EventWindow:
    """The events of `account` that answer `query`: at most `cap` rows, newest first."""
    common: list[Any] = [ErrorEvent.account == account, ErrorEvent.ts > query.since]
    if query.source is not None:
        common.append(ErrorEvent.source == query.source)
    where = [*common, ErrorEvent.kind == query.kind]
    after = None
    if query.after_kind is not None:
        after = session.execute(
            select(ErrorEvent.ts, ErrorEvent.id)
            .where(*common, ErrorEvent.kind == query.after_kind)
            .order_by(*_NEWEST_FIRST)
            .limit(1)
        ).first()
        if after is not None:  # ties in time are ordered by insertion
            where += [
                ErrorEvent.ts >= after.ts,
                or_(
                    ErrorEvent.ts > after.ts,
                    and_(ErrorEvent.ts == after.ts, ErrorEvent.id > after.id),
                ),
            ]
    rows = session.execute(
        select(
            ErrorEvent.ts,
            ErrorEvent.source,
            ErrorEvent.symbol,
            ErrorEvent.code,
            ErrorEvent.message,
            ErrorEvent.context,
        )
        .where(*where)
        .order_by(*_NEWEST_FIRST)
        .limit(cap + 1)
    ).all()
    total, oldest = len(rows), rows[-1].ts if rows else None
    if len(rows) > cap:
        rows = rows[:cap]
        total, oldest = session.execute(
            select(func.count(), func.min(ErrorEvent.ts)).where(*where)
        ).one()
    return EventWindow(
        events=tuple(LoggedEvent(*row) for row in rows),
        total=total,
        oldest=oldest,
        after=after.ts if after is not None else None,
    )
