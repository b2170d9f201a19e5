"""The market list across processes: each cron run is a new process, and loading markets is
the costliest call of a cycle (several requests on many exchanges). A list loaded less than
`exchange.markets_ttl_seconds` ago by any run on this database is handed to ccxt instead
(`store/markets_cache.py`). A cache only: when it cannot be read or used, the markets are
loaded from the exchange as before.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.inputs import Markets
from sources.exchange.client import ReadOnlyExchange
from sources.exchange.responses import parse_markets

if TYPE_CHECKING:
    from sources.collect import SourceContext

log = logging.getLogger(__name__)


def restore_markets(
    ctx: SourceContext, client: ReadOnlyExchange, ttl_seconds: int
) -> tuple[Markets, datetime] | None:
    """The stored markets and when they were loaded, if fresh; else None."""
    from store.markets_cache import read_markets

    if ttl_seconds == 0:
        return None
    try:
        with ctx.database().read() as session:
            stored = read_markets(session, ctx.settings.account, client.id, client.account.kind)
        if stored is None:
            return None
        age = (ctx.now.astimezone(UTC) - stored.fetched_at).total_seconds()
        if not 0 <= age < ttl_seconds:
            return None
        markets = parse_markets(client.load_markets(stored.payload), client.derivatives)
    except Exception as error:  # noqa: BLE001 - a broken cache costs a load, nothing more
        log.warning("stored markets not used (%s: %s); loading them", type(error).__name__, error)
        return None
    return markets, stored.fetched_at


def store_markets(ctx: SourceContext, client: ReadOnlyExchange, fetched_at: datetime) -> None:
    """Keep what ccxt just loaded for the next processes (not under --dry-run)."""
    from store.markets_cache import write_markets

    if ctx.dry_run or ctx.settings.app.exchange.markets_ttl_seconds == 0:
        return
    try:
        with ctx.database().write() as session:
            write_markets(
                session,
                ctx.settings.account,
                client.id,
                client.account.kind,
                fetched_at,
                client.stored_markets(),
            )
    except Exception as error:  # noqa: BLE001 - the cycle goes on without the cache
        log.warning("markets not stored (%s: %s)", type(error).__name__, error)
