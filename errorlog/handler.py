"""A `logging.Handler` that turns the bot's log records into error-log events.

- a record with an exception (`log.exception(...)`, `exc_info=True`) -> an `exception` event;
- `extra={"alert_kind": "order_rejected", "symbol": "BTC/USD", "code": "INSUFFICIENT_FUNDS"}`
  picks the kind (and `alert_context={...}` adds to the event's context);
- every other record is ignored: the bot's ordinary logging stays where it is.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from errorlog.writer import ErrorLog, exception_fields
from errorlog.writer import log as writer_log
from store.error_events import NewEvent


class ErrorLogHandler(logging.Handler):
    """Failures (database down, a bad `alert_kind`) go to `handleError`, as with any handler:
    a line on stderr, never an exception in the bot."""

    def __init__(self, error_log: ErrorLog, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.error_log = error_log
        self._inside = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        # The writer's own complaints, and anything logged while writing (on this thread),
        # would otherwise loop back into the database that just failed.
        if record.name.startswith(writer_log.name) or getattr(self._inside, "active", False):
            return
        self._inside.active = True
        try:
            event = self.to_event(record)
            if event is not None:
                self.error_log.add(event)
        except Exception:  # noqa: BLE001 - logging must never break the bot
            self.handleError(record)
        finally:
            self._inside.active = False

    def to_event(self, record: logging.LogRecord) -> NewEvent | None:
        """The event a record stands for, or None for an ordinary log line."""
        kind = getattr(record, "alert_kind", None)
        exc = record.exc_info[1] if record.exc_info else None
        if kind is None:
            if exc is None:
                return None
            kind = "exception"
        code = getattr(record, "code", None)
        message: str | None = record.getMessage()
        context: dict[str, Any] = {"logger": record.name}
        if exc is not None:
            described = exception_fields(exc)
            code = code or described["code"]
            context.update(described["context"])
            if kind == "exception":
                context["log_message"], message = message, described["message"]
        context.update(getattr(record, "alert_context", None) or {})
        return self.error_log.event(
            kind,
            symbol=getattr(record, "symbol", None),
            code=code,
            message=message,
            context=context,
        )
