"""Alert names and keys, and the durations operators type: pure text handling, cheap to
import (the CLI parses before it touches a database)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from checks.registry import CHECKS, find_check
from core.keys import FAILING_PREFIX, alert_key, failing_alert_name

_DURATION = re.compile(r"(\d+)\s*([smhdw])", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class OperatorError(Exception):
    """An operator command that cannot be carried out; the message says why."""


def parse_duration(text: str) -> timedelta:
    """`90s`, `30m`, `2h`, `1d`, `1h30m`."""
    compact = text.strip().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise OperatorError(f"cannot read duration {text!r} (examples: 90s, 30m, 2h, 1d, 1h30m)")
    seconds = sum(int(number) * _UNIT_SECONDS[unit.lower()] for number, unit in parts)
    if seconds <= 0:
        raise OperatorError("the duration must be longer than zero")
    return timedelta(seconds=seconds)


def alert_name(text: str) -> str:
    """A CLI name, a title, or `check_failing:NAME`, as the stored alert name."""
    wanted = text.strip()
    failing = wanted.lower().startswith(FAILING_PREFIX)
    base = wanted[len(FAILING_PREFIX) :] if failing else wanted
    check = find_check(base)
    if check is None:
        valid = ", ".join(CHECKS)
        raise OperatorError(f"no alert named {text!r} (valid: {valid}, or check_failing:NAME)")
    return failing_alert_name(check.name) if failing else check.name


def resolve_key(text: str, account: Callable[[], str]) -> str:
    """`reconcile`, `Reconcile Mismatch` or `default:reconcile` as the key `ACCOUNT:NAME`;
    `account()` is asked only when the text names none."""
    head, _, rest = text.partition(":")
    if rest and head.lower() + ":" != FAILING_PREFIX:
        return alert_key(head, alert_name(rest))
    return alert_key(account(), alert_name(text))
