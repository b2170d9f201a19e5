"""Counting of exchange HTTP requests, so benchmarks can report requests per cycle.

Only emulated exchange traffic is recorded; control-API calls (``/_emulator/...``) are not.
Keys of ``counts()`` look like ``"binance GET api.binance.com/api/v3/account"``;
``by_api_key()`` splits the same requests by the API key sent (``NO_KEY`` for none) into
public and private (key-only) calls, so a fleet's calls can be told apart per bot.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

NO_KEY = "(no key)"
"""``by_api_key()`` entry of the requests that carried no API key."""


@dataclass(frozen=True)
class RequestRecord:
    """One request as the emulator saw it (``fault`` is the injected fault kind, if any)."""

    ts: float
    exchange: str
    method: str
    host: str
    path: str
    query: str
    status: int
    fault: str | None = None
    api_key: str | None = None
    private: bool = False  # a key-only endpoint (balance, positions...), not market data

    @property
    def key(self) -> str:
        return f"{self.exchange} {self.method} {self.host}{self.path}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "key": self.key}


class RequestLog:
    """Thread-safe append-only log with per-path counters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self, exchange: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self._records if exchange is None or r.exchange == exchange]

    def total(self, exchange: str | None = None) -> int:
        return len(self.records(exchange))

    def counts(self, exchange: str | None = None) -> dict[str, int]:
        """Requests per ``"<exchange> <METHOD> <host><path>"`` key (query string ignored)."""
        return dict(Counter(r.key for r in self.records(exchange)))

    def by_api_key(self, exchange: str | None = None) -> dict[str, dict[str, int]]:
        """``{api key: {"public": n, "private": n}}``; requests without a key under ``NO_KEY``."""
        out: dict[str, dict[str, int]] = {}
        for record in self.records(exchange):
            split = out.setdefault(record.api_key or NO_KEY, {"public": 0, "private": 0})
            split["private" if record.private else "public"] += 1
        return out

    def reset(self) -> None:
        with self._lock:
            self._records.clear()

    def summary(self, exchange: str | None = None) -> dict[str, Any]:
        records = self.records(exchange)
        return {
            "total": len(records),
            "by_path": dict(Counter(r.key for r in records)),
            "by_exchange": dict(Counter(r.exchange for r in records)),
            "private": sum(r.private for r in records),
            "by_api_key": self.by_api_key(exchange),
        }
