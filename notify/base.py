"""What every channel is: a name, a severity floor, whether it is a pager, and `send`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from config.models import ChannelSettings
from core.notification import Notification, NotificationKind
from core.status import Severity


class DeliveryError(Exception):
    """A send that failed. `retryable` errors are tried again later (after `retry_after`
    seconds when the receiver said so); the others fail for good with this message."""

    def __init__(self, message: str, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class Channel(ABC):
    """One destination, built from its entry in `channels:`. A subclass names its settings
    model (whose `type` literal is the channel type) and never logs or raises its URL, key
    or token: they are secrets."""

    settings_model: ClassVar[type[ChannelSettings]]

    def __init__(self, settings: ChannelSettings) -> None:
        self.name = settings.name
        self.min_severity: Severity = settings.min_severity_level
        self.escalation = settings.escalation
        self.timeout = settings.timeout_seconds  # the longest one send may take

    def wants(self, notification: Notification) -> bool:
        """Tests reach every channel; a pager (escalation channel) takes only what was
        escalated (and its resolution); every channel applies its severity floor."""
        if notification.kind is NotificationKind.TEST:
            return True
        if notification.severity < self.min_severity:
            return False
        return notification.escalated or not self.escalation

    @abstractmethod
    def send(self, notification: Notification, notification_id: str) -> None:
        """Deliver one notification or raise `DeliveryError`."""

    def close(self) -> None:  # noqa: B027 - optional hook: only HTTP channels hold sockets
        """Release connections."""
