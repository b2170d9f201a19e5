"""Writing and reading equity snapshots (one per cycle that values the account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from store.models import EquitySnapshot


@dataclass(frozen=True)
class Snapshot:
    ts: datetime
    equity: float


class SnapshotHistory:
    """The snapshots of one account in one currency."""

    def __init__(self, session: Session, account: str, currency: str) -> None:
        self.session = session
        self.account = account
        self.currency = currency

    def add(self, ts: datetime, equity: float) -> None:
        self.session.execute(
            insert(EquitySnapshot),
            [{"account": self.account, "currency": self.currency, "ts": ts, "equity": equity}],
        )

    def last_between(self, earliest: datetime, latest: datetime) -> Snapshot | None:
        """The newest snapshot taken in [earliest, latest]."""
        return self._first(
            EquitySnapshot.ts >= earliest,
            EquitySnapshot.ts <= latest,
            order=[EquitySnapshot.ts.desc()],
        )

    def first_after(self, moment: datetime) -> Snapshot | None:
        return self._first(EquitySnapshot.ts > moment, order=[EquitySnapshot.ts.asc()])

    def peak(
        self, since: datetime | None = None, before: datetime | None = None
    ) -> Snapshot | None:
        """The highest equity ever recorded (the earliest, if it was reached more than once),
        or the highest taken in [since, before)."""
        conditions = [
            *([EquitySnapshot.ts >= since] if since is not None else []),
            *([EquitySnapshot.ts < before] if before is not None else []),
        ]
        return self._first(
            *conditions, order=[EquitySnapshot.equity.desc(), EquitySnapshot.ts.asc()]
        )

    def _first(self, *conditions: Any, order: list[Any]) -> Snapshot | None:
        query = (
            select(EquitySnapshot.ts, EquitySnapshot.equity)
            .where(
                EquitySnapshot.account == self.account,
                EquitySnapshot.currency == self.currency,
                *conditions,
            )
            .order_by(*order)
            .limit(1)
        )
        row = self.session.execute(query).first()
        return Snapshot(row.ts, row.equity) if row else None
