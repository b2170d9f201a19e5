"""The stored market list of an account's exchange: read by a new process, replaced after
each load. A cache: anything wrong with it only costs a load from the exchange."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from store.models import MarketsCache


@dataclass(frozen=True)
class StoredMarkets:
    fetched_at: datetime
    payload: dict[str, Any]  # {"markets": ..., "currencies": ...} as ccxt holds them


def read_markets(session: Session, account: str, exchange: str, kind: str) -> StoredMarkets | None:
    row = session.execute(
        select(MarketsCache.fetched_at, MarketsCache.payload).where(
            MarketsCache.account == account,
            MarketsCache.exchange == exchange,
            MarketsCache.kind == kind,
        )
    ).first()
    if row is None:
        return None
    return StoredMarkets(row.fetched_at, json.loads(zlib.decompress(row.payload)))


def write_markets(
    session: Session,
    account: str,
    exchange: str,
    kind: str,
    fetched_at: datetime,
    payload: dict[str, Any],
) -> None:
    key = {"account": account, "exchange": exchange, "kind": kind}
    session.execute(delete(MarketsCache).filter_by(**key))
    data = zlib.compress(json.dumps(payload, separators=(",", ":")).encode())
    session.execute(insert(MarketsCache), [{**key, "fetched_at": fetched_at, "payload": data}])
