"""What is known about one alert between evaluations: the value the lifecycle decides on.

The store maps it to and from its row; nothing else reads the row's columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.keys import alert_key
from core.status import Severity, Status


@dataclass(frozen=True)
class AlertState:
    """`firing` is the condition as last known: an UNKNOWN evaluation leaves it as it was."""

    account: str
    name: str
    title: str
    severity: Severity
    last_evaluated_at: datetime
    state_since: datetime
    firing: bool = False
    last_status: Status = Status.OK
    summary: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    resolved_at: datetime | None = None
    last_notified_at: datetime | None = None
    notified_severity: Severity | None = None
    notification_count: int = 0
    escalated_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    consecutive_unknown: int = 0
    unknown_since: datetime | None = None
    unknown_reason: str | None = None

    @property
    def key(self) -> str:
        return alert_key(self.account, self.name)
