"""The alert matrix: every check, in the order of SPEC §1, found by CLI name or title."""

from __future__ import annotations

from checks.api_errors import ApiErrors
from checks.base import Check
from checks.daily_loss import DailyLoss
from checks.drawdown import Drawdown
from checks.exceptions import Exceptions
from checks.heartbeat import Heartbeat
from checks.kill_switch import KillSwitch
from checks.reconcile import Reconcile
from checks.rejections import Rejections
from checks.universe import Universe
from checks.weekly_loss import WeeklyLoss

_ALL: tuple[Check, ...] = (
    KillSwitch(),
    DailyLoss(),
    WeeklyLoss(),
    Drawdown(),
    ApiErrors(),
    Reconcile(),
    Rejections(),
    Exceptions(),
    Universe(),
    Heartbeat(),
)

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
