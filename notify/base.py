"""What every channel is: a name, a severity floor, whether it takes escalations, `send`."""

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

    def __init__(self, name: str, min_severity: Severity, escalation: bool) -> None:
        self.name = name
        self.min_severity = min_severity
        self.escalation = escalation

    def wants(self, severity: Severity, escalated: bool, status: str) -> bool:
        """An escalation channel also takes what is escalated, whatever its own floor."""
        if status == "test":
            return True
        return severity >= self.min_severity or (self.escalation and escalated)

    @abstractmethod
    def send(self, payload: dict[str, Any]) -> None:
        """Deliver one notification body (SPEC §6) or raise `DeliveryError`."""
