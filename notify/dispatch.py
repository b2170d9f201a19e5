"""Deliver notifications to every channel that wants them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from alerts.service import Outgoing
from config.loader import Settings
from notify.base import Channel, DeliveryError
from notify.console import ConsoleChannel

log = logging.getLogger(__name__)


def build_channels(settings: Settings) -> list[Channel]:
    return [ConsoleChannel()]


def deliver_now(settings: Settings, outgoing: Iterable[Outgoing]) -> None:
    channels = build_channels(settings)
    for item in outgoing:
        for channel in channels:
            if not channel.wants(item.severity, item.escalated, item.payload["status"]):
                continue
            try:
                channel.send(item.payload)
            except DeliveryError as error:
                log.error("delivery of %s to %s failed: %s", item.key, channel.name, error)
