"""The alert matrix as a whole: every check found, in order, each with examples that fire
and clear under the policy in force; and the layers the code is built in."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from checks.registry import CHECKS, policy_parts
from core.status import Status
from tests.helpers import policy

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
README = Path(__file__).parents[1] / "README.md"


def _documented_matrix() -> list[str]:
    """The check names of the README's matrix table, in its order."""
    section = README.read_text().split("## The alert matrix", 1)[1].split("\n\n", 2)[1]
    return [row.split("`")[1] for row in section.splitlines()[2:]]


STRICT = {
    "risk": {"daily_stop_loss_pct": 1.0, "weekly_stop_loss_pct": 2.0, "max_drawdown_pct": 4.0},
    "execution": {"max_order_rejections": 7, "rejection_window_seconds": 60},
    "monitoring": {
        "api_error_threshold": 5,
        "reconcile_mismatch_threshold_pct": 30.0,
        "reconcile_mismatch_threshold_usd": 500.0,
        "max_exceptions_per_window": 1,
        "heartbeat_max_age_seconds": 30,
    },
    "universe": {"min_eligible_assets": 6, "exclude": ["BTC"], "min_quote_volume_24h": 5e6},
}


def test_the_registry_finds_every_check_in_the_documented_order():
    assert list(CHECKS) == _documented_matrix()


@pytest.mark.parametrize("document", [{}, STRICT], ids=["defaults", "strict policy"])
@pytest.mark.parametrize("name", list(CHECKS))
def test_every_check_has_examples_that_fire_and_clear(name, document):
    check, in_force = CHECKS[name], policy(**document)
    examples = check.examples(in_force, NOW)
    fired = check.run(examples.firing, in_force, NOW)
    assert fired.status is check.severity.status, fired.summary
    assert fired.context.get("action") == check.action
    cleared = check.run(examples.clear, in_force, NOW)
    assert cleared.status is Status.OK, cleared.summary


def test_each_check_owns_its_policy_keys():
    owners = {part.__name__: part.section for part in policy_parts()}
    assert owners["DailyLossPolicy"] == "risk" and owners["UniversePolicy"] == "universe"
    keys = {key for part in policy_parts() for key in part.model_fields}
    assert {"daily_stop_loss_pct", "api_error_threshold", "heartbeat_max_age_seconds"} <= keys


def test_layers_point_down():
    """The import contract of pyproject.toml: an import that points up fails here too."""
    linter = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(linter)], capture_output=True, text=True, cwd=Path(__file__).parents[1]
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Layers point down KEPT" in done.stdout
