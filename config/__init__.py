"""Configuration: `app.yaml` + `policy.yaml`, validated, with secrets kept secret.

The YAML files of the default configuration folder live beside this package's code; the
schema's open parts (check policies, channel types) are given by `jobs.settings`.
"""

from config.errors import ConfigError
from config.loader import Schema, Settings

__all__ = ["ConfigError", "Schema", "Settings"]
