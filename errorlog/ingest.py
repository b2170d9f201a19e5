"""Ingesting the bot's JSON-lines error log into the events table, each line exactly once.

Every step is one transaction: lock the file's cursor, read one bounded chunk of complete lines
from where the cursor stands, store the good lines, count the bad ones, move the cursor. A
crash between steps loses nothing and repeats nothing; a restart goes on from the cursor.

Rotation (the file renamed, a new one created): the rest of the renamed file is read first,
for as long as the new file is still empty (the bot may not have reopened it yet); once the
bot writes to the new file, the old one is finished and the new one read from its start.
Truncation (copytruncate): the copy beside it is finished if it can be found, then the
truncated file is read from its start.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from errorlog.follow import CHUNK_BYTES, Chunk, Mark, file_id, fingerprint, locate, read_chunk
from errorlog.parse import BadEvent, parse_line
from store.db import Database
from store.error_events import NewEvent, add_events
from store.error_log_cursors import find_cursor, lock_cursor
from store.models import ErrorLogCursor

log = logging.getLogger(__name__)

_BAD_LINES_LOGGED_PER_STEP = 10


@dataclass
class IngestReport:
    """What one call ingested (running totals are kept on the cursor)."""

    path: str
    present: bool = False
    lines_ingested: int = 0
    bad_lines: int = 0


@dataclass
class _Step:
    events: list[NewEvent] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    more: bool = False


def cursor_key(path: Path) -> tuple[str, str]:
    """A cursor per file per host: runners on other hosts have other files at that path."""
    return socket.gethostname(), os.path.abspath(path)


def ingest_error_log(
    database: Database,
    path: Path,
    account: str,
    now: datetime,
    chunk_bytes: int = CHUNK_BYTES,
) -> IngestReport:
    """Store what the bot appended since the last call; lines without an `account` belong to
    `account`. Raises OSError when the file exists but cannot be read. The daemon schedules
    this as its own job; every cycle that reads the error log calls it first."""
    host, key = cursor_key(path)
    report = IngestReport(str(path))
    stat = _stat(path)
    report.present = stat is not None
    if _nothing_new(database, host, key, stat):
        return report
    while True:
        with database.write() as session:
            cursor = lock_cursor(session, host, key, now)
            step = _step(cursor, path, account, chunk_bytes)
            add_events(session, step.events)
            _count(cursor, step, now)
        _log_bad_lines(step.bad)
        report.lines_ingested += len(step.events)
        report.bad_lines += len(step.bad)
        if not step.more:
            return report


def _nothing_new(database: Database, host: str, key: str, stat: os.stat_result | None) -> bool:
    """The common cases, answered without the write lock: the file is the one being read and
    has not grown, or there is no file and never was one (no rotated file to finish)."""
    with database.read() as session:
        cursor = find_cursor(session, host, key)
    if cursor is None:
        return stat is None
    return stat is not None and cursor.file_id == file_id(stat) and cursor.position == stat.st_size


def _step(cursor: ErrorLogCursor, path: Path, account: str, chunk_bytes: int) -> _Step:
    """Read one chunk of the file the cursor follows, or move on to the next file."""
    followed = locate(path, Mark(cursor.file_id, cursor.fingerprint, cursor.position))
    current = _stat(path)
    if followed is None:
        if current is None:
            return _Step()
        if cursor.position > 0:
            log.warning(
                "%s: the file being read was truncated, replaced or removed before it was "
                "finished and no rotated copy was found; reading %s from its start",
                path,
                path,
            )
        _start(cursor, current)
        followed = path
    elif followed == path and current is not None:
        cursor.file_id = file_id(current)  # the same lines, maybe under a new inode
    with followed.open("rb") as handle:
        chunk = read_chunk(handle, cursor.position, chunk_bytes)
        if chunk.end > cursor.position:
            if cursor.position == 0:
                cursor.fingerprint = fingerprint(handle)
            step = _consume(cursor, chunk, followed, account, chunk_bytes)
            step.more = chunk.full or followed != path  # a rotated file: finish, move on
            return step
        unread = os.fstat(handle.fileno()).st_size - cursor.position
    if followed == path or current is None or current.st_size == 0:
        return _Step()  # at the end of the file being written; or the new one is still empty
    step = _Step(more=True)  # the bot writes the new file now: the rotated one is finished
    if unread:
        step.bad.append(
            f"{followed}:{cursor.line_number + 1}: incomplete last line ({unread} bytes "
            "without a newline) in a rotated file"
        )
    _start(cursor, current)
    return step


def _consume(
    cursor: ErrorLogCursor, chunk: Chunk, followed: Path, account: str, chunk_bytes: int
) -> _Step:
    step = _Step()
    if chunk.too_long:
        cursor.line_number += 1
        step.bad.append(
            f"{followed}:{cursor.line_number}: line longer than {chunk_bytes} bytes "
            f"({chunk.too_long} bytes), skipped"
        )
    for raw in chunk.lines:
        cursor.line_number += 1
        try:
            event = parse_line(raw, account)
        except BadEvent as problem:
            step.bad.append(f"{followed}:{cursor.line_number}: {problem}")
            continue
        if event is not None:
            step.events.append(event)
    cursor.position = chunk.end
    return step


def _start(cursor: ErrorLogCursor, stat: os.stat_result) -> None:
    cursor.file_id = file_id(stat)
    cursor.fingerprint = None
    cursor.position = 0
    cursor.line_number = 0


def _count(cursor: ErrorLogCursor, step: _Step, now: datetime) -> None:
    if not (step.events or step.bad or step.more):
        return
    cursor.lines_ingested += len(step.events)
    cursor.bad_lines += len(step.bad)
    if step.bad:
        cursor.last_bad_line = step.bad[-1]
        cursor.last_bad_at = now
    cursor.updated_at = now


def _log_bad_lines(bad: list[str]) -> None:
    for line in bad[:_BAD_LINES_LOGGED_PER_STEP]:
        log.warning("error log: bad line skipped: %s", line)
    if len(bad) > _BAD_LINES_LOGGED_PER_STEP:
        log.warning(
            "error log: %d more bad lines skipped in this chunk",
            len(bad) - _BAD_LINES_LOGGED_PER_STEP,
        )


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
