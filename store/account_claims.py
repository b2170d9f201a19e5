"""Dividing a fleet's accounts among the runners that share one PostgreSQL database, through
PostgreSQL itself: no other coordinator.

A runner holds, on a connection of its own, a session advisory lock for each account it
evaluates, and one more that says it is there. A runner that dies loses its connection and
with it its locks at once; a frozen or cut-off one loses them when the server ends its idle
session (`idle_session_timeout`) or its TCP keepalives fail. At every `balance()` a runner
counts the runners present, gives back what is above its fair share, ceil(accounts /
runners), and takes free accounts up to it. What it holds is trusted only for a while after
the last balance that succeeded, so a runner that resumes after a freeze evaluates nothing it
may have lost. Even when two runners do evaluate one account, each decision locks its alert
row, so a notification still goes out once (docs/fleet.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import threading
import time
from collections.abc import Sequence

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

ACCOUNT_CLASS = 0x414D  # the first key of alert-matrix's account locks ("AM")
PRESENCE_CLASS = 0x414E  # the first key of the lock that says a runner is there
IDLE_TIMEOUT_SECONDS = 10  # the server ends a silent runner's session after this
TRUSTED_SECONDS = 8.0  # what a runner holds is trusted this long after a balance


def account_lock_key(account: str) -> int:
    """A stable 31-bit key per account name (the second key of its advisory lock)."""
    return int.from_bytes(hashlib.sha256(account.encode()).digest()[:4], "big") >> 1


class AccountClaims:
    def __init__(self, database_url: str) -> None:
        self._engine = create_engine(database_url, poolclass=NullPool)
        self._connection: Connection | None = None
        self._held: set[str] = set()
        self._confirmed_at = -math.inf  # monotonic time of the last balance that succeeded
        self._lock = threading.Lock()

    def owned(self) -> frozenset[str]:
        """The accounts this runner may evaluate now (none while its claims are unconfirmed)."""
        with self._lock:
            if time.monotonic() - self._confirmed_at > TRUSTED_SECONDS:
                return frozenset()
            return frozenset(self._held)

    def balance(self, accounts: Sequence[str]) -> frozenset[str]:
        """Keep this runner's fair share of `accounts`: give back extras, take free ones."""
        with self._lock:
            try:
                connection = self._connect()
                runners = max(1, self._runners(connection))
                share = math.ceil(len(accounts) / runners)
                keep = set(sorted(self._held & set(accounts))[:share])
                for account in sorted(self._held - keep):
                    self._release(connection, account)
                for account in _rotated(accounts, connection):
                    if len(self._held) >= share:
                        break
                    if account not in self._held and self._take(connection, account):
                        self._held.add(account)
                connection.commit()
                self._confirmed_at = time.monotonic()
            except SQLAlchemyError as error:
                log.warning("account claims: the database did not answer (%s); holding none", error)
                self._drop_connection()
            return frozenset(self._held)

    def close(self) -> None:
        with self._lock:
            self._drop_connection()
            self._engine.dispose()

    def _connect(self) -> Connection:
        if self._connection is None:
            connection = self._engine.connect()
            for setting in (
                f"SET idle_session_timeout = '{IDLE_TIMEOUT_SECONDS}s'",
                "SET tcp_keepalives_idle = 5",
                "SET tcp_keepalives_interval = 2",
                "SET tcp_keepalives_count = 2",
            ):
                connection.execute(text(setting))
            connection.execute(
                text("SELECT pg_advisory_lock(:c, pg_backend_pid())"), {"c": PRESENCE_CLASS}
            )
            connection.commit()
            self._connection = connection
        return self._connection

    def _drop_connection(self) -> None:
        """The session is gone or going: so are its locks."""
        self._held.clear()
        self._confirmed_at = -math.inf
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._connection.close()
            self._connection = None

    def _runners(self, connection: Connection) -> int:
        return int(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND classid = :c AND database = (SELECT oid FROM pg_database"
                    " WHERE datname = current_database())"
                ),
                {"c": PRESENCE_CLASS},
            )
            or 0
        )

    def _take(self, connection: Connection, account: str) -> bool:
        query = text("SELECT pg_try_advisory_lock(:c, :k)")
        return bool(connection.scalar(query, {"c": ACCOUNT_CLASS, "k": account_lock_key(account)}))

    def _release(self, connection: Connection, account: str) -> None:
        query = text("SELECT pg_advisory_unlock(:c, :k)")
        connection.execute(query, {"c": ACCOUNT_CLASS, "k": account_lock_key(account)})
        self._held.discard(account)


def _rotated(accounts: Sequence[str], connection: Connection) -> list[str]:
    """The accounts starting at a place of this runner's own, so runners joining together
    try different accounts first instead of all racing for the first ones."""
    ordered = sorted(accounts)
    if not ordered:
        return []
    start = int(connection.scalar(text("SELECT pg_backend_pid()")) or 0) % len(ordered)
    return ordered[start:] + ordered[:start]
