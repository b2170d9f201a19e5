"""Recording and reading transfers (deposits and withdrawals) of an account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Transfer


@dataclass(frozen=True)
class TransferRow:
    ts: datetime
    amount: float  # in the equity currency; a withdrawal is negative
    source: str
    ref: str


def add_transfer(
    session: Session,
    account: str,
    currency: str,
    row: TransferRow,
    recorded_at: datetime,
) -> bool:
    """Record `row` unless this account already has it (same source and ref); True if new."""
    exists = session.execute(
        select(Transfer.id).where(
            Transfer.account == account, Transfer.source == row.source, Transfer.ref == row.ref
        )
    ).first()
    if exists is not None:
        return False
    session.add(
        Transfer(
            account=account,
            currency=currency,
            ts=row.ts,
            amount=row.amount,
            source=row.source,
            ref=row.ref,
            recorded_at=recorded_at,
        )
    )
    return True


def transfers_after(
    session: Session, account: str, currency: str, after: datetime, until: datetime
) -> list[TransferRow]:
    """The transfers in (after, until], oldest first."""
    rows = session.execute(
        select(Transfer.ts, Transfer.amount, Transfer.source, Transfer.ref)
        .where(
            Transfer.account == account,
            Transfer.currency == currency,
            Transfer.ts > after,
            Transfer.ts <= until,
        )
        .order_by(Transfer.ts)
    )
    return [TransferRow(row.ts, row.amount, row.source, row.ref) for row in rows]
