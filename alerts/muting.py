"""Which alerts are muted: delivery off, evaluation on (README: "Alert lifecycle").

Besides silences, `disabled_alerts` and the severity floor, one inhibition rule (as in
Alertmanager): while API Error Burst fires, a "Check failing" alert whose check is blind only
because the exchange fails stays quiet. One cause, one notification; when API Error Burst
resolves and the check still cannot evaluate, its "Check failing" alert is sent then.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from checks.registry import find_check
from config.loader import Settings
from core.keys import alert_key, check_of, is_failing_alert
from core.results import CheckResult
from core.status import Severity
from store.models import Alert, Silence

INHIBITOR = "api_errors"


@dataclass(frozen=True)
class Mutes:
    """What must not notify now: disabled alerts, active silences, the severity floor."""

    enabled: bool
    disabled: frozenset[str]
    silences: Mapping[str, Silence]  # alert name -> the active silence lasting longest
    min_severity: Severity
    exchange_alarm: bool  # API Error Burst is firing

    @classmethod
    def load(cls, session: Session, settings: Settings, now: datetime) -> Mutes:
        account = settings.account
        silences = active_silences(session, account, now)
        return cls.of(settings, silences, inhibitor_firing(session, account))

    @classmethod
    def of(cls, settings: Settings, silences: Mapping[str, Silence], exchange_alarm: bool) -> Mutes:
        """The account's mutes from its settings and what was read of its silences and of
        its API Error Burst alert."""
        service = settings.app.monitoring.alert_service
        disabled = frozenset(
            check.name for entry in service.disabled_alerts if (check := find_check(entry))
        )
        return cls(service.enabled, disabled, silences, service.min_severity_level, exchange_alarm)

    def muted(self, result: CheckResult) -> bool:
        return (
            not self.enabled
            or result.severity < self.min_severity
            or bool(self.reason(result.name, result.context))
        )

    def reason(self, name: str, context: Mapping[str, Any]) -> str:
        """Why the alert `name` is muted ("" if it is not). A "Check failing" alert is muted
        with its check: silencing or disabling `reconcile` quiets both."""
        check = check_of(name)
        silence = self.silences.get(name) or self.silences.get(check)
        if silence is not None:
            return f"silenced until {silence.until.isoformat(timespec='seconds')}"
        if check in self.disabled:
            return "disabled in app.yaml"
        if self.inhibits(name, context):
            return "inhibited: API Error Burst is firing"
        return ""

    def inhibits(self, name: str, context: Mapping[str, Any]) -> bool:
        """A "Check failing" alert whose only cause is the exchange, while API Error Burst
        already says the exchange fails."""
        return (
            self.exchange_alarm
            and is_failing_alert(name)
            and bool(context.get("exchange_unavailable"))
        )


def inhibitor_firing(session: Session, account: str) -> bool:
    alert = session.get(Alert, alert_key(account, INHIBITOR))
    return alert is not None and alert.firing


def active_silences(session: Session, account: str, now: datetime) -> dict[str, Silence]:
    """Silenced alert names, each with the silence that lasts longest."""
    return silences_of(session, [account], now).get(account, {})


def silences_of(
    session: Session, accounts: Collection[str], now: datetime
) -> dict[str, dict[str, Silence]]:
    """Each account's silenced alert names, each with the silence that lasts longest: one
    query for many accounts."""
    query = select(Silence).where(Silence.account.in_(accounts), _unexpired(now))
    found: dict[str, dict[str, Silence]] = {}
    for row in session.scalars(query.order_by(Silence.until)):
        found.setdefault(row.account, {})[row.name] = row
    return found


def silence_in_force(account: str, now: datetime) -> ColumnElement[bool]:
    """A silence of `account` that has neither expired nor been ended by `unsilence`."""
    return and_(Silence.account == account, _unexpired(now))


def _unexpired(now: datetime) -> ColumnElement[bool]:
    return and_(Silence.until > now, Silence.ended_at.is_(None))
