"""Routing: which channels want a notification; one outbox row for each of them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from alerts.service import Outgoing
from notify.base import Channel
from store.outbox import enqueue


def enqueue_outgoing(
    session: Session, outgoing: Iterable[Outgoing], channels: dict[str, Channel], now: datetime
) -> int:
    """Write each notification for every channel that wants it; returns the rows written."""
    written = 0
    for item in outgoing:
        status = item.payload["status"]
        names = [
            c.name for c in channels.values() if c.wants(item.severity, item.escalated, status)
        ]
        enqueue(session, str(uuid.uuid4()), names, item.payload, now)
        written += len(names)
    return written
