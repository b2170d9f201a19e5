"""`${NAME}` expansion inside YAML values, after parsing, so secrets never have to be YAML-safe."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class MissingVariable(Exception):
    """An `${NAME}` reference with no such environment variable and no `:-default`."""

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self.path = path
        super().__init__(name)


def expand(
    value: Any, environ: Mapping[str, str], path: str = "", expanded: set[str] | None = None
) -> Any:
    """Return ``value`` with every `${NAME}` / `${NAME:-default}` in its strings replaced.

    Key paths whose value came (even partly) from the environment are added to ``expanded``,
    because such values are usually secrets and are masked when the configuration is shown.
    """
    if isinstance(value, dict):
        return {
            key: expand(item, environ, _join(path, key), expanded) for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            expand(item, environ, f"{path}[{index}]", expanded) for index, item in enumerate(value)
        ]
    if not isinstance(value, str) or "${" not in value:
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in environ:
            return environ[name]
        if default is not None:
            return default
        raise MissingVariable(name, path)

    result = _REFERENCE.sub(substitute, value)
    if expanded is not None:
        expanded.add(path)
    return result


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
