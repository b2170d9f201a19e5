"""The configuration as the jobs run it: app.yaml and policy.yaml, with every check's policy
keys and every channel type in the schema (each owned by its own module)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from checks.registry import CHECKS, policy_parts
from config.loader import Schema, Settings
from config.loader import load_settings as _load
from config.policy import SHARED_PARTS, Policy, policy_from
from notify.registry import channel_settings_models

SCHEMA = Schema(
    checks={name: check.title for name, check in CHECKS.items()},
    policy_parts=policy_parts(),
    channel_types=channel_settings_models(),
)


def load_settings(
    config_dir: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Load and validate both files (see `config.loader`)."""
    return _load(SCHEMA, config_dir, environ)


def policy(document: Mapping[str, Any] | None = None) -> Policy:
    """The policy a policy.yaml holding `document` gives (defaults for what it leaves out)."""
    validated = SCHEMA.policy_model().model_validate(dict(document or {}))
    return policy_from(validated, (*SHARED_PARTS, *SCHEMA.policy_parts))
