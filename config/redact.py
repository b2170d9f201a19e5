"""Masking: secrets are shown as `***` (URLs keep scheme and host) wherever settings are shown."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr

from config.loader import APP_FILE, POLICY_FILE, Settings

MASK = "***"
# The status page's credential: only ever in the environment, scrubbed like the others.
WEB_TOKEN_ENV = "ALERT_MATRIX_WEB_TOKEN"
_SECRET_KEY = re.compile(r"(key|secret|password|passphrase|token|uid|private|url)", re.IGNORECASE)


def mask_url(url: str) -> str:
    """`https://hooks.slack.com/***`: enough to recognise the receiver, nothing to abuse."""
    parts = urlsplit(url)
    if parts.scheme and parts.hostname:
        return f"{parts.scheme}://{parts.hostname}/{MASK}"
    return MASK


def mask_database_url(url: str) -> str:
    """The database URL with its password replaced, as SQLAlchemy would render it."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", f":{MASK}@", 1)


def shown_settings(settings: Settings) -> dict[str, Any]:
    """The configuration in force as plain data, every secret masked."""
    app = _walk(settings.app, APP_FILE, "", settings.env_paths)
    app["database_url"] = mask_database_url(settings.app.database_url.get_secret_value())
    return {
        "config_dir": str(settings.config_dir.resolve()),
        APP_FILE: app,
        POLICY_FILE: _walk(settings.policy.document, POLICY_FILE, "", settings.env_paths),
    }


def secret_values(settings: Settings) -> set[str]:
    """Every secret string in the configuration, for scrubbing logs and output."""
    found: set[str] = set()
    _collect(settings.app, "", settings.env_paths, found)
    password = urlsplit(settings.app.database_url.get_secret_value()).password
    if password:
        found.add(str(password))
    if os.environ.get(WEB_TOKEN_ENV):
        found.add(os.environ[WEB_TOKEN_ENV])
    # A URL's path (a Slack hook's token) is secret on its own too, e.g. in an error message.
    found |= {urlsplit(value).path for value in found if "://" in value}
    return {value for value in found if len(value) >= 8 or (len(value) >= 4 and "/" not in value)}


def _walk(value: Any, file: str, path: str, env_paths: frozenset[str]) -> Any:
    if isinstance(value, BaseModel):
        return {
            field.alias or name: _walk(getattr(value, name), file, _join(path, name), env_paths)
            for name, field in type(value).model_fields.items()
        }
    if isinstance(value, SecretStr):
        secret = value.get_secret_value()
        return mask_url(secret) if "://" in secret else MASK
    if isinstance(value, dict):
        return {key: _walk(item, file, _join(path, key), env_paths) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, file, f"{path}[{i}]", env_paths) for i, item in enumerate(value)]
    if isinstance(value, str) and (
        f"{file}:{path}" in env_paths or _SECRET_KEY.search(path.rsplit(".", 1)[-1])
    ):
        return mask_url(value) if "://" in value else MASK
    return str(value) if hasattr(value, "__fspath__") else value


def _collect(value: Any, path: str, env_paths: frozenset[str], found: set[str]) -> None:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _collect(getattr(value, name), _join(path, name), env_paths, found)
    elif isinstance(value, SecretStr):
        found.add(value.get_secret_value())
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, _join(path, key), env_paths, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, f"{path}[{index}]", env_paths, found)
    elif isinstance(value, str) and (
        f"{APP_FILE}:{path}" in env_paths or _SECRET_KEY.search(path.rsplit(".", 1)[-1])
    ):
        found.add(value)


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
