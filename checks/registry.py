"""The alert matrix: every check module in this package, found without a hand-kept list.

A new check is one module here defining one concrete `Check` subclass; its `order` places it
in the matrix, its `policy_part` brings its keys into policy.yaml.
"""

from __future__ import annotations

import checks
from checks.base import Check
from config.policy import PolicyPart
from core.plugins import concrete_subclasses


def _discover() -> tuple[Check, ...]:
    found = [check() for check in concrete_subclasses(checks, Check)]
    return tuple(sorted(found, key=lambda check: check.order))


_ALL = _discover()

CHECKS: dict[str, Check] = {check.name: check for check in _ALL}


def find_check(name_or_title: str) -> Check | None:
    """A check by its CLI name (`reconcile`) or its title (`Reconcile Mismatch`), any case."""
    wanted = name_or_title.strip().lower()
    for check in _ALL:
        if wanted in (check.name, check.title.lower()):
            return check
    return None


def active_checks(skipped: list[str]) -> list[Check]:
    """Every check but those in `skip_checks`, in matrix order."""
    return [check for check in _ALL if check.name not in skipped]


def policy_parts() -> tuple[type[PolicyPart], ...]:
    """The policy.yaml keys of every check."""
    return tuple(check.policy_part for check in _ALL if check.policy_part is not None)
