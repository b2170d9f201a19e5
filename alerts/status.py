"""The `status` view: every alert's displayed state, derived from what is stored."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from alerts.muting import Mutes
from store.models import Alert
from store.outbox import DeliveryStats


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
    return sorted(rows, key=lambda row: (_ORDER.get(row.state, 9), row.key))


_ORDER = {"FIRING": 0, "UNKNOWN": 1, "ACKNOWLEDGED": 2, "SILENCED": 3, "NO DATA": 4, "OK": 5}


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
