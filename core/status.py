"""Check statuses (Nagios exit codes) and alert severities."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class Status(IntEnum):
    """A check's outcome; the value is the Nagios plugin exit code."""

    OK = 0
    WARNING = 1
    CRITICAL = 2
    UNKNOWN = 3

    @property
    def rank(self) -> int:
        """How bad a status is: a known CRITICAL must never hide behind an UNKNOWN."""
        return _RANK[self]

    @classmethod
    def worst(cls, statuses: Iterable[Status]) -> Status:
        """The status `check all` exits with: CRITICAL > UNKNOWN > WARNING > OK."""
        return max(statuses, key=lambda status: status.rank, default=cls.OK)


_RANK = {Status.OK: 0, Status.WARNING: 1, Status.UNKNOWN: 2, Status.CRITICAL: 3}


class Severity(IntEnum):
    """How loud an alert is; ordered so `min_severity` filters compare with >=."""

    INFO = 10
    WARNING = 20
    CRITICAL = 30

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(cls.__members__)
            raise ValueError(f"unknown severity {text!r} (expected one of {names})") from None

    @property
    def status(self) -> Status:
        """The check status a firing alert of this severity reports."""
        return Status.CRITICAL if self is Severity.CRITICAL else Status.WARNING
