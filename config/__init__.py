"""Configuration: `app.yaml` + `policy.yaml`, validated, with secrets kept secret.

The YAML files of the default configuration folder live beside this package's code.
"""

from config.errors import ConfigError
from config.loader import Settings, load_settings

__all__ = ["ConfigError", "Settings", "load_settings"]
