"""The record of every evaluation, for `history`, metrics and the daemon's own health."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from core.results import CheckResult
from core.status import Status
from store.models import CheckRun


def record_runs(
    session: Session,
    account: str,
    results: Iterable[CheckResult],
    started_at: datetime,
    duration_ms: float,
) -> None:
    for result in results:
        session.add(
            CheckRun(
                account=account,
                check_name=result.name,
                started_at=started_at,
                duration_ms=round(duration_ms, 3),
                status=result.status.name,
                summary=result.summary,
                error=str(result.context.get("reason"))
                if result.status is Status.UNKNOWN
                else None,
            )
        )
