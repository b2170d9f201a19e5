"""What commands share: exit codes, loading the configuration, printing errors."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from config import ConfigError, Settings, load_settings
from config.redact import secret_values
from core import logs

EXIT_OK = 0
EXIT_UNKNOWN = 3


def settings_or_exit(args: argparse.Namespace, nagios: bool = False) -> Settings:
    """The configuration, with logging set up from it; or one line naming the problem, exit 3."""
    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as error:
        fail(str(error), nagios)
    app = settings.app
    logs.configure(app.logging.level, app.logging.format, secret_values(settings))
    return settings


def fail(message: str, nagios: bool = False) -> NoReturn:
    """Exit 3 with one line: a Nagios status line on stdout for `check`, else on stderr."""
    if nagios:
        print(f"UNKNOWN - {message}")
    else:
        print(f"alert-matrix: {message}", file=sys.stderr)
    raise SystemExit(EXIT_UNKNOWN)
