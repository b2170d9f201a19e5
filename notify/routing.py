"""Routing: which channels want a notification; one outbox row for each of them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from core.notification import Notification
from notify.base import Channel
from store.outbox import enqueue


def enqueue_outgoing(
    session: Session,
    outgoing: Iterable[Notification],
    channels: dict[str, Channel],
    now: datetime,
) -> int:
    """Write each notification for every channel that wants it; returns the rows written."""
    written = 0
    for notification in outgoing:
        names = [channel.name for channel in channels.values() if channel.wants(notification)]
        enqueue(session, str(uuid.uuid4()), names, notification, now)
        written += len(names)
    return written
