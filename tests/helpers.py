"""Small builders for unit tests of pure checks."""

from __future__ import annotations

from pathlib import Path

from config.models import Policy


def policy(**sections: dict) -> Policy:
    """A Policy with some sections overridden, e.g. policy(monitoring={"x": 1})."""
    return Policy.model_validate(sections)


def path(name: str = "data/state.json") -> Path:
    return Path(name)
