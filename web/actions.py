"""The page's operator actions: the CLI's own functions (alerts.operator), so the alert state
and history rows are the same whether an operator typed `ack` or pressed the button."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select

from alerts.names import OperatorError, alert_name, parse_duration
from alerts.operator import acknowledge, silence, unsilence
from config.loader import Settings
from store.db import Database
from store.models import Alert

MAX_REASON = 500


DONE = {"ack": "Acknowledged.", "silence": "Silenced.", "unsilence": "Silence ended."}


def perform(
    database: Database,
    settings: Settings,
    key: str,
    action: str,
    form: Mapping[str, str],
    by: str,
    now: datetime,
) -> None:
    """Do `action` on the alert `key` as `by`; OperatorError says why it cannot be done."""
    account, _, text = key.partition(":")
    name = alert_name(text)
    if settings.of_account(account) is None:
        with database.read() as session:
            if session.scalar(select(Alert.key).where(Alert.account == account).limit(1)) is None:
                raise OperatorError(f"no alert of account {account!r} has been evaluated")
    if action == "ack":
        with database.write() as session:
            acknowledge(session, f"{account}:{name}", by, now)
    elif action == "silence":
        duration = parse_duration(form.get("duration", ""))
        reason = form.get("reason", "").strip()[:MAX_REASON]
        with database.write() as session:
            silence(session, account, name, duration, by, reason, now)
    else:
        with database.write() as session:
            ended = unsilence(session, account, name, by, now)
        if not ended:
            raise OperatorError(f"{account}:{name} has no active silence")
