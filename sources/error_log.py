"""The error-log input: ingest what the bot appended to its JSON-lines file, then read the
windows the cycle's checks ask for (`SourceContext.event_queries`).

Ingestion runs under `--dry-run` too: it records the bot's input, never alert state, and the
checks would otherwise judge stale data. Pruning is housekeeping (`store.retention`).
A file that exists but cannot be read, or a database that cannot be read, is a `SourceError`:
the checks are UNKNOWN with the reason, never OK.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.inputs import JsonlStatus, LoggedEvents
from sources.errors import SourceError

if TYPE_CHECKING:
    from sources.collect import SourceContext
    from store.db import Database

log = logging.getLogger(__name__)


def load_error_log(ctx: SourceContext) -> LoggedEvents:
    # Imported here: SQLAlchemy is paid for only by cycles that read the error log.
    from sqlalchemy.exc import SQLAlchemyError

    from store.db import describe

    try:
        database = ctx.database()
        _ingest(ctx, database)
        return _read(ctx, database)
    except (SQLAlchemyError, OSError) as error:
        raise SourceError(f"error log database: {describe(error)}") from None


def _ingest(ctx: SourceContext, database: Database) -> None:
    from errorlog.ingest import ingest_error_log

    path = ctx.settings.app.paths.error_log_file
    if path is None:
        return
    try:
        ingest_error_log(database, path, ctx.settings.account, ctx.now)
    except OSError as error:
        raise SourceError(f"{path}: cannot read the error log: {error.strerror or error}") from None


def _read(ctx: SourceContext, database: Database) -> LoggedEvents:
    from errorlog.ingest import cursor_key
    from store.error_log_cursors import find_cursor
    from store.error_windows import read_window

    settings = ctx.settings
    queries = dict.fromkeys(ctx.event_queries)
    path = settings.app.paths.error_log_file
    with database.read() as session:
        windows = {query: read_window(session, settings.account, query) for query in queries}
        cursor = find_cursor(session, *cursor_key(path)) if path is not None else None
    jsonl = None if cursor is None else JsonlStatus(cursor.bad_lines, cursor.last_bad_line)
    return LoggedEvents(windows, jsonl)
