"""Fault injection rules: what goes wrong, for whom, and how many times.

A ``Fault`` only says *which* failure to simulate; each venue renders it in its own error
format (see ``venues.base.Venue.fault_response``) because ccxt maps error bodies to
exception classes per exchange.  ``FaultBook`` is the thread-safe, ordered rule list the
server consults once per exchange request.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, get_args

FaultKind = Literal[
    "html_200",
    "malformed_json_200",
    "http_401",
    "http_429",
    "http_503",
    "slow",
    "empty_markets",
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass(frozen=True)
class Fault:
    """One injected failure.

    * ``exchange``: ccxt id it applies to (``None`` = every exchange).
    * ``path_contains``: substring of ``host/path?query`` (e.g. ``"/api/v3/account"``).
    * ``times``: how many matching requests it affects (``None`` = until cleared).
    * ``delay``: seconds to wait before answering; ``slow`` is "delay, then answer normally"
      but any kind may carry a delay.
    * ``retry_after``: ``Retry-After`` header value for ``http_429``.
    * ``status``/``body``: override the venue's default status code / body text.

    ``empty_markets`` only matches (and only uses up ``times`` on) market-list endpoints.
    """

    kind: FaultKind
    exchange: str | None = None
    path_contains: str | None = None
    times: int | None = None
    delay: float = 0.0
    retry_after: int = 1
    status: int | None = None
    body: str | None = None
    id: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be >= 1 (or None for 'until cleared')")
        if self.kind == "slow" and self.delay <= 0:
            raise ValueError("a slow fault needs delay > 0 seconds")

    def matches(self, exchange: str, target: str, *, market_list: bool) -> bool:
        if self.exchange is not None and self.exchange != exchange:
            return False
        if self.path_contains is not None and self.path_contains not in target:
            return False
        return market_list or self.kind != "empty_markets"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fault:
        allowed = {name for name in cls.__dataclass_fields__ if name != "id"}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown fault field(s): {sorted(unknown)}")
        return cls(**data)


class FaultBook:
    """Ordered fault rules; the oldest matching rule wins and is consumed once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            stored = replace(fault, id=next(self._ids))
            self._faults.append(stored)
            return stored

    def clear(self, exchange: str | None = None) -> int:
        """Drop every rule, or only the rules scoped to ``exchange``; returns how many."""
        with self._lock:
            keep = [f for f in self._faults if exchange is not None and f.exchange != exchange]
            removed = len(self._faults) - len(keep)
            self._faults = keep
            return removed

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, exchange: str, target: str, *, market_list: bool) -> Fault | None:
        """Return the fault to apply to this request (if any), decrementing its budget."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if not fault.matches(exchange, target, market_list=market_list):
                    continue
                if fault.times is not None:
                    if fault.times == 1:
                        del self._faults[index]
                    else:
                        self._faults[index] = replace(fault, times=fault.times - 1)
                return fault
            return None
