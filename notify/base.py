"""What every channel is: a name, a severity floor, whether it is a pager, and `send`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from core.status import Severity


class DeliveryError(Exception):
    """A send that failed. `retryable` errors are tried again later (after `retry_after`
    seconds when the receiver said so); the others fail for good with this message."""

    def __init__(self, message: str, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class Channel(ABC):
    """One destination. Subclasses never log or raise their URL or key: it is a secret."""

    def __init__(
        self, name: str, min_severity: Severity, escalation: bool, timeout: float = 0.0
    ) -> None:
        self.name = name
        self.min_severity = min_severity
        self.escalation = escalation
        self.timeout = timeout  # the longest one send may take

    def wants(self, severity: Severity, escalated: bool, status: str) -> bool:
        """Tests reach every channel; a pager (escalation channel) takes only what was
        escalated (and its resolution); every channel applies its severity floor."""
        if status == "test":
            return True
        if severity < self.min_severity:
            return False
        return escalated or not self.escalation

    @abstractmethod
    def send(self, payload: dict[str, Any], notification_id: str) -> None:
        """Deliver one notification body (SPEC §6) or raise `DeliveryError`."""

    def close(self) -> None:  # noqa: B027 - optional hook: only HTTP channels hold sockets
        """Release connections."""
