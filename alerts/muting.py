"""Which alerts are muted: delivery off, evaluation on (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from checks.base import CheckResult
from checks.registry import find_check
from config.loader import Settings
from core.status import Severity


@dataclass(frozen=True)
class Mutes:
    """Alert names that must not notify now, and the severity floor."""

    enabled: bool
    disabled: frozenset[str]
    min_severity: Severity

    @classmethod
    def load(cls, session: Session, settings: Settings, now: datetime) -> Mutes:
        service = settings.app.monitoring.alert_service
        disabled = frozenset(
            check.name for entry in service.disabled_alerts if (check := find_check(entry))
        )
        return cls(service.enabled, disabled, service.min_severity_level)

    def muted(self, result: CheckResult) -> bool:
        """A check's own alert and its "Check failing" alert mute together."""
        return (
            not self.enabled or result.name in self.disabled or result.severity < self.min_severity
        )
