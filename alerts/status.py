"""The `status` view: every alert's displayed state, derived from what is stored."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from alerts.muting import Mutes
from checks.registry import active_checks
from config.loader import Settings
from core.keys import alert_key
from store.alerts import all_alerts
from store.models import Alert
from store.outbox import DeliveryStats

STATES = ("FIRING", "UNKNOWN", "ACKNOWLEDGED", "SILENCED", "NO DATA", "OK")


@dataclass(frozen=True)
class StatusRow:
    key: str
    state: str  # OK, FIRING, ACKNOWLEDGED, SILENCED, UNKNOWN, NO DATA
    severity: str
    since: datetime | None
    last_notified: datetime | None
    notifications: int
    delivery: str
    summary: str
    muted: str

    def to_dict(self) -> dict[str, Any]:
        row = asdict(self)
        for moment in ("since", "last_notified"):
            row[moment] = row[moment].isoformat() if row[moment] else None
        return row


def read_status(
    session: Session, settings: Settings, now: datetime, deliveries: dict[str, DeliveryStats]
) -> list[StatusRow]:
    """Every row `status` shows for the account, read from the database: what `status`
    prints and what /metrics counts come from this one place."""
    alerts = all_alerts(session, settings.account)
    seen = {alert.name for alert in alerts}
    never_run = [
        (alert_key(settings.account, check.name), check.severity.name)
        for check in active_checks(settings.app.skip_checks)
        if check.name not in seen
    ]
    return status_rows(alerts, never_run, Mutes.load(session, settings, now), deliveries)


def status_rows(
    alerts: list[Alert],
    never_run: list[tuple[str, str]],
    mutes: Mutes,
    deliveries: dict[str, DeliveryStats],
) -> list[StatusRow]:
    """One row per alert (and per check never evaluated), the worst first."""
    rows = [_row(alert, mutes, deliveries) for alert in alerts]
    rows += [
        StatusRow(key, "NO DATA", severity, None, None, 0, "", "never evaluated", "")
        for key, severity in never_run
    ]
    return sorted(rows, key=lambda row: (STATES.index(row.state), row.key))


def state_counts(rows: list[StatusRow]) -> dict[str, int]:
    """How many alerts are in each displayed state, every state present (0 when none)."""
    counted = Counter(row.state for row in rows)
    return {state: counted[state] for state in STATES}


def _row(
    alert: Alert,
    mutes: Mutes,
    deliveries: dict[str, DeliveryStats],
) -> StatusRow:
    muted = mutes.reason(alert.name, alert.context or {})
    state, since = alert_state(alert, bool(muted))
    stats = deliveries.get(alert.key, DeliveryStats())
    delivery = ", ".join(
        part
        for part in (
            f"{stats.pending} pending" if stats.pending else "",
            f"{stats.failed} failed" if stats.failed else "",
            stats.last_error or "",
        )
        if part
    )
    summary = alert.unknown_reason if state == "UNKNOWN" else alert.summary
    return StatusRow(
        alert.key,
        state,
        alert.severity,
        since,
        alert.last_notified_at,
        alert.notification_count,
        delivery,
        summary or "",
        muted,
    )


def alert_state(alert: Alert, muted: bool) -> tuple[str, datetime | None]:
    """The displayed state and since when: what `status` shows and /metrics counts."""
    if alert.firing:
        if alert.acknowledged_at is not None:
            return "ACKNOWLEDGED", alert.acknowledged_at
        return ("SILENCED" if muted else "FIRING"), alert.first_seen
    if alert.last_status == "UNKNOWN":
        return "UNKNOWN", alert.unknown_since
    return "OK", alert.state_since
