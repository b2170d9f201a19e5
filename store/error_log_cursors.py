"""The JSON-lines ingestion cursor rows: created on first use, locked while a chunk is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ErrorLogCursor
from store.rows import insert_if_absent


def lock_cursor(session: Session, host: str, path: str, now: datetime) -> ErrorLogCursor:
    """The cursor of `path` on `host`, created at position 0 if new, locked for this
    transaction (SQLite: the write lock; PostgreSQL: the row), so two runners on one host
    never ingest the same lines."""
    insert_if_absent(
        session,
        ErrorLogCursor,
        {
            "host": host,
            "path": path,
            "position": 0,
            "line_number": 0,
            "lines_ingested": 0,
            "bad_lines": 0,
            "updated_at": now,
        },
    )
    query = select(ErrorLogCursor).where(ErrorLogCursor.host == host, ErrorLogCursor.path == path)
    return session.execute(query.with_for_update()).scalar_one()


def find_cursor(session: Session, host: str, path: str) -> ErrorLogCursor | None:
    return session.get(ErrorLogCursor, (host, path))
