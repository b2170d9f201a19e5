"""Alert names and keys: `ACCOUNT:NAME`, and the `check_failing:NAME` alert of each check."""

from __future__ import annotations

FAILING_PREFIX = "check_failing:"


def alert_key(account: str, name: str) -> str:
    """`ACCOUNT:NAME`, e.g. `default:reconcile`."""
    return f"{account}:{name}"


def is_failing_alert(name: str) -> bool:
    return name.startswith(FAILING_PREFIX)


def check_of(name: str) -> str:
    """The check an alert belongs to: `reconcile` for `check_failing:reconcile` too."""
    return name.removeprefix(FAILING_PREFIX)


def failing_alert_name(check_name: str) -> str:
    """The "Check failing" alert of a check: `check_failing:reconcile`."""
    return f"{FAILING_PREFIX}{check_name}"
