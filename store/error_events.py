"""Writing the persisted error log: one validated shape for every way in (API, CLI, JSONL,
and the runner's own failed exchange calls)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from store.models import ErrorEvent
from store.types import as_json

KINDS = ("api_error", "api_ok", "order_rejected", "exception")
SOURCES = ("bot", "runner")


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
        if self.ts.tzinfo is None:
            raise ValueError("ts must carry a time zone (UTC)")
        if self.context is not None and not isinstance(self.context, dict):
            raise ValueError("context must be a JSON object")


def add_events(session: Session, events: Iterable[NewEvent]) -> int:
    """Insert events in one statement; returns how many."""
    rows = [
        {
            "ts": event.ts,
            "account": event.account,
            "kind": event.kind,
            "source": event.source,
            "symbol": event.symbol,
            "code": None if event.code is None else str(event.code)[:64],
            "message": event.message,
            "context": as_json(event.context) if event.context is not None else None,
        }
        for event in events
    ]
    if rows:
        session.execute(insert(ErrorEvent), rows)
    return len(rows)
