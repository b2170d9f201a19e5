"""Writing the persisted error log: one validated shape for every way in (API, CLI, JSONL,
and the runner's own failed exchange calls)."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.clock import implausible
from core.error_kinds import KINDS, SOURCES
from store.models import ErrorEvent
from store.types import as_json

if TYPE_CHECKING:
    from store.db import Database

log = logging.getLogger(__name__)

# the column sizes, read from the model so the two never disagree
_ACCOUNT_MAX = ErrorEvent.__table__.c.account.type.length
_SHORT_MAX = ErrorEvent.__table__.c.code.type.length  # symbol and code
_MAX_DEPTH = 32


@dataclass(frozen=True)
class NewEvent:
    """One error-log event before it is stored. `ts` must be timezone-aware."""

    kind: str
    ts: datetime
    source: str = "bot"
    account: str = "default"
    symbol: str | None = None
    code: str | None = None
    message: str | None = None
    context: dict[str, Any] | None = field(default=None)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.source not in SOURCES:
            raise ValueError(f"source {self.source!r} is not one of {', '.join(SOURCES)}")
        if not self.account or len(self.account) > _ACCOUNT_MAX:
            raise ValueError(f"account must be 1 to {_ACCOUNT_MAX} characters")
        if self.ts.tzinfo is None:
            raise ValueError("ts must carry a time zone (UTC)")
        problem = implausible(self.ts)
        if problem:  # refused, not clamped: its real time is unknown (README, error log)
            raise ValueError(f"ts: {problem}")
        if self.context is not None and not isinstance(self.context, dict):
            raise ValueError("context must be a JSON object")
        for name in ("account", "symbol", "code", "message"):
            _storable(getattr(self, name), name)
        _storable(self.context, "context")


def _storable(value: Any, where: str, depth: int = 0) -> None:
    """What both databases can store and a check can compare: text without NUL characters
    or lone surrogates, finite numbers, JSON nesting of sane depth."""
    if depth > _MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {_MAX_DEPTH} levels")
    if isinstance(value, str):
        if "\0" in value:
            raise ValueError(f"{where}: contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{where}: not valid Unicode text") from None
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where}: {value} is not a number")
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(str(key), where, depth + 1)
            _storable(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _storable(item, f"{where}[{index}]", depth + 1)


def add_events(session: Session, events: Iterable[NewEvent]) -> int:
    """Insert events in one statement; returns how many."""
    rows = [
        {
            "ts": event.ts,
            "account": event.account,
            "kind": event.kind,
            "source": event.source,
            "symbol": _clip(event.symbol),
            "code": _clip(event.code),
            "message": event.message,
            "context": as_json(event.context) if event.context is not None else None,
        }
        for event in events
    ]
    if rows:
        session.execute(insert(ErrorEvent), rows)
    return len(rows)


def _clip(value: object) -> str | None:
    """Symbols and codes are labels: cut to their column rather than lose the event."""
    return None if value is None else str(value)[:_SHORT_MAX]


def record_runner_event(
    database: Callable[[], Database], account: str, kind: str, ts: datetime, **fields: Any
) -> None:
    """One event of the runner itself (`source: runner`): a failed or successful exchange
    call, a job that raised. Never raises, since the database may be what failed: a warning
    says the event was lost."""
    try:
        event = NewEvent(kind=kind, ts=ts, source="runner", account=account, **fields)
        with database().write() as session:
            add_events(session, [event])
    except Exception:  # logged; the caller's own work goes on
        log.warning("could not record a runner %s event in the error log", kind, exc_info=True)
