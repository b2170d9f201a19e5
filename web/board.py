"""The board's alert matrix: every account's alerts in matrix order, as `status` sees them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.muting import Mutes, active_silences, inhibitor_firing
from alerts.status import StatusRow, status_rows
from checks.registry import CHECKS, active_checks
from config.loader import Settings
from core.keys import alert_key, check_of, is_failing_alert
from store.alerts import all_alerts
from store.models import Alert
from store.outbox import delivery_stats

_MATRIX = {name: index for index, name in enumerate(CHECKS)}


@dataclass(frozen=True)
class BoardRow:
    status: StatusRow
    account: str
    name: str
    title: str
    escalated_at: datetime | None

    @property
    def can_ack(self) -> bool:
        return self.status.state in ("FIRING", "SILENCED")

    @property
    def silenced(self) -> bool:
        return self.status.muted.startswith("silenced")


@dataclass(frozen=True)
class AccountBoard:
    account: str
    rows: list[BoardRow]

    @property
    def worst(self) -> str:
        states = {row.status.state for row in self.rows}
        for state in ("FIRING", "UNKNOWN", "ACKNOWLEDGED", "SILENCED"):
            if state in states:
                return state
        return "OK"


def account_boards(session: Session, settings: Settings, now: datetime) -> list[AccountBoard]:
    """The configured accounts first, then every other account found in the database."""
    accounts = [member.account for member in settings.fleet()]
    stored = session.scalars(select(Alert.account).distinct().order_by(Alert.account))
    accounts += [account for account in stored if account not in accounts]
    deliveries = delivery_stats(session)
    checks = active_checks(settings.app.skip_checks)
    boards = []
    for account in accounts:
        alerts = all_alerts(session, account)
        seen = {alert.name for alert in alerts}
        never_run = [
            (alert_key(account, check.name), check.severity.name)
            for check in checks
            if check.name not in seen
        ]
        own = account_mutes(session, settings, account, now)
        by_key = {alert.key: alert for alert in alerts}
        rows = [
            _row(status, by_key.get(status.key))
            for status in status_rows(alerts, never_run, own, deliveries)
        ]
        boards.append(AccountBoard(account, sorted(rows, key=_matrix_order)))
    return boards


def account_mutes(session: Session, settings: Settings, account: str, now: datetime) -> Mutes:
    """What mutes `account`'s alerts: the configuration's rules, that account's silences."""
    member = settings.of_account(account)
    if member is not None:
        return Mutes.load(session, member, now)
    mutes = Mutes.load(session, settings, now)
    silences = active_silences(session, account, now)
    return replace(mutes, silences=silences, exchange_alarm=inhibitor_firing(session, account))


def _row(status: StatusRow, alert: Alert | None) -> BoardRow:
    account, _, name = status.key.partition(":")
    if alert is None:
        return BoardRow(status, account, name, CHECKS[name].title, None)
    return BoardRow(status, account, name, alert.title, alert.escalated_at)


def _matrix_order(row: BoardRow) -> tuple[int, int, str]:
    """The matrix's order; a "Check failing" alert just after its check's own."""
    return _MATRIX.get(check_of(row.name), len(_MATRIX)), is_failing_alert(row.name), row.name
