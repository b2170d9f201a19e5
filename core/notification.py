"""A notification: one frozen value from the lifecycle to the channels.

It becomes JSON only in the outbox (`to_json` / `from_json`); channels render from the value.
`body()` is the generic webhook body, exactly its documented fields. The text in it comes
from the bot and the exchange, so it is bounded as the value is made (`core.untrusted`):
whatever path a notification takes, no channel ever sees it raw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.alert_state import AlertState
from core.clock import as_utc
from core.format import iso
from core.status import Severity
from core.untrusted import TEXT_MAX, bound_context, bound_text

TITLE_MAX = 200


class NotificationKind(StrEnum):
    FIRING = "firing"  # a new alert, a rise in severity, or one whose mute ended
    ESCALATION = "escalation"
    REMINDER = "reminder"
    RESOLVED = "resolved"
    TEST = "test"


_STATUS = {
    NotificationKind.FIRING: "firing",
    NotificationKind.ESCALATION: "firing",
    NotificationKind.REMINDER: "firing",
    NotificationKind.RESOLVED: "resolved",
    NotificationKind.TEST: "test",
}


@dataclass(frozen=True)
class Notification:
    kind: NotificationKind
    key: str
    account: str
    alert: str
    title: str
    severity: Severity
    escalated: bool
    message: str
    context: Mapping[str, Any] = field(default_factory=dict)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    notification_count: int = 1
    runbook: str = ""

    def __post_init__(self) -> None:
        bounded = {
            "title": bound_text(self.title, TITLE_MAX, line=True),
            "message": bound_text(self.message),
            "context": bound_context(self.context),
            "runbook": bound_text(self.runbook, TEXT_MAX),
        }
        for name, value in bounded.items():
            object.__setattr__(self, name, value)  # frozen: set once, as it is made

    @classmethod
    def about(
        cls, state: AlertState, kind: NotificationKind, escalated: bool, runbook: str
    ) -> Notification:
        """What the channels are told of the alert in `state`."""
        return cls(
            kind=kind,
            key=state.key,
            account=state.account,
            alert=state.name,
            title=state.title,
            severity=state.severity,
            escalated=escalated,
            message=state.summary,
            context=state.context,
            first_seen=state.first_seen,
            last_seen=state.last_seen,
            notification_count=state.notification_count,
            runbook=runbook,
        )

    @property
    def status(self) -> str:
        """`firing`, `resolved` or `test`: what the webhook body calls it."""
        return _STATUS[self.kind]

    def body(self) -> dict[str, Any]:
        """The generic webhook body: exactly these fields."""
        return {
            "version": 1,
            "key": self.key,
            "account": self.account,
            "alert": self.alert,
            "title": self.title,
            "severity": self.severity.name,
            "status": self.status,
            "escalated": self.escalated,
            "message": self.message,
            "context": dict(self.context),
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "notification_count": self.notification_count,
            "runbook": self.runbook,
        }

    def to_json(self) -> dict[str, Any]:
        """What the outbox stores: the body, and the kind it cannot tell (a reminder)."""
        return {**self.body(), "kind": self.kind.value}

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Notification:
        status, escalated = stored["status"], bool(stored.get("escalated"))
        default = NotificationKind(status) if status != "firing" else NotificationKind.FIRING
        return cls(
            kind=NotificationKind(stored.get("kind") or default),
            key=stored["key"],
            account=stored["account"],
            alert=stored["alert"],
            title=stored["title"],
            severity=Severity[stored["severity"]],
            escalated=escalated,
            message=stored["message"],
            context=stored.get("context") or {},
            first_seen=_moment(stored.get("first_seen")),
            last_seen=_moment(stored.get("last_seen")),
            notification_count=int(stored.get("notification_count") or 0),
            runbook=stored.get("runbook") or "",
        )


def _moment(text: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(text)) if text else None
