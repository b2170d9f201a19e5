"""What every channel is: a name, a severity floor, whether it is a pager, and `send`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import ClassVar
from urllib.parse import urlsplit

from pydantic import SecretStr

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
        self._hidden: list[str] = []
        self.hide(v.get_secret_value() for v in dict(settings).values() if isinstance(v, SecretStr))

    def hide(self, secrets: Iterable[str]) -> None:
        """Mask these in every error this channel raises (its own secrets, and the registry
        adds every secret of the configuration: a receiver may echo any text it was sent).
        A secret URL's path (a webhook's token) is masked on its own too."""
        found = set(self._hidden)
        for secret in secrets:
            found |= {secret, urlsplit(secret).path if "://" in secret else ""}
        self._hidden = sorted((s for s in found if len(s) > 1), key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self._hidden:
            text = text.replace(secret, "***")
        return text

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
