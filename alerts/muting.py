"""Which alerts are muted: delivery off, evaluation on (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from checks.base import CheckResult
from checks.registry import find_check
from config.loader import Settings
from core.status import Severity
from store.models import Silence


@dataclass(frozen=True)
class Mutes:
    """What must not notify now: disabled alerts, active silences, the severity floor."""

    enabled: bool
    disabled: frozenset[str]
    silenced: frozenset[str]
    min_severity: Severity

    @classmethod
    def load(cls, session: Session, settings: Settings, now: datetime) -> Mutes:
        service = settings.app.monitoring.alert_service
        disabled = frozenset(
            check.name for entry in service.disabled_alerts if (check := find_check(entry))
        )
        return cls(
            service.enabled,
            disabled,
            frozenset(active_silences(session, settings.account, now)),
            service.min_severity_level,
        )

    def muted(self, result: CheckResult) -> bool:
        return (
            not self.enabled
            or result.name in self.disabled
            or result.name in self.silenced
            or result.severity < self.min_severity
        )


def active_silences(session: Session, account: str, now: datetime) -> dict[str, Silence]:
    """Silenced alert names, each with the silence that lasts longest."""
    rows = session.scalars(
        select(Silence)
        .where(Silence.account == account, Silence.until > now, Silence.ended_at.is_(None))
        .order_by(Silence.until)
    )
    return {row.name: row for row in rows}
