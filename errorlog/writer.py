"""The bot's Python way in: `ErrorLog(database_url).api_error(...)` from its trading loop.

A write never raises into the bot: on database trouble it logs one line and returns False.
It is safe from several threads (one engine, one short transaction per write) and from
several processes (SQLite in WAL mode with `BEGIN IMMEDIATE`: writers queue, none fails with
"database is locked"). The schema is migrated on first use.
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime
from typing import Any

from core import clock
from store.db import describe
from store.error_events import NewEvent, add_events
from store.lazy import LazyDatabase

# The writer's own complaints; ErrorLogHandler never turns them into events.
log = logging.getLogger("alert_matrix.errorlog")

_TRACEBACK_FRAMES = 5


class ErrorLog:
    """Writes events for one account, as one source (`bot`, or `runner` for alert-matrix)."""

    def __init__(self, database_url: str, account: str = "default", source: str = "bot") -> None:
        self.account = account
        self.source = source
        self._database = LazyDatabase(database_url)

    def api_error(
        self,
        message: str | None = None,
        *,
        code: str | int | None = None,
        symbol: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> bool:
        """A failed exchange call; `api_errors` counts these until the next `api_ok`."""
        return self.log("api_error", symbol=symbol, code=code, message=message, context=context)

    def api_ok(self, context: dict[str, Any] | None = None) -> bool:
        """A successful exchange call: ends a run of consecutive API errors."""
        return self.log("api_ok", context=context)

    def order_rejected(
        self,
        symbol: str,
        code: str | int | None = None,
        message: str | None = None,
        *,
        context: dict[str, Any] | None = None,
    ) -> bool:
        """An order the exchange refused; `code` (else `message`) is the reason counted."""
        return self.log(
            "order_rejected", symbol=symbol, code=code, message=message, context=context
        )

    def exception(
        self,
        exc: BaseException,
        *,
        symbol: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> bool:
        """An exception in the bot: its type name is the code, with a traceback summary."""
        fields = exception_fields(exc)
        fields["context"].update(context or {})
        return self.log("exception", symbol=symbol, **fields)

    def log(self, kind: str, **fields: Any) -> bool:
        """Record one event of any kind (`fields` as for `event`); False, and one log line,
        if it could not be."""
        try:
            self.add(self.event(kind, **fields))
        except Exception as error:  # noqa: BLE001 - the bot's loop must go on
            log.error("alert-matrix error log: %s event not recorded: %s", kind, describe(error))
            return False
        return True

    def event(
        self,
        kind: str,
        *,
        symbol: str | None = None,
        code: str | int | None = None,
        message: str | None = None,
        context: dict[str, Any] | None = None,
        ts: datetime | None = None,
    ) -> NewEvent:
        """A validated event of this writer's account and source, stamped now unless `ts`;
        raises ValueError on a bad kind or field."""
        return NewEvent(
            kind=kind,
            ts=ts or clock.utcnow(),
            source=self.source,
            account=self.account,
            symbol=symbol,
            code=None if code is None else str(code),
            message=message,
            context=context,
        )

    def add(self, *events: NewEvent) -> None:
        """Store events in one transaction. Raises on database trouble: for callers that
        report it themselves (the logging handler, the CLI); the bot uses the methods above."""
        with self._database.get().write() as session:
            add_events(session, events)

    def close(self) -> None:
        """Release the connections (a later write reconnects)."""
        self._database.close()


def exception_fields(exc: BaseException) -> dict[str, Any]:
    """`code` = the exception's type name, `message` = its text, `context.traceback` = where
    it was raised (the innermost frames, `file:line in function`)."""
    frames = traceback.extract_tb(exc.__traceback__)[-_TRACEBACK_FRAMES:]
    return {
        "code": type(exc).__name__,
        "message": str(exc) or None,
        "context": {"traceback": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames]},
    }
