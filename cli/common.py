"""What commands share: exit codes, loading the configuration, printing errors."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

from config import ConfigError, Settings
from config.redact import secret_values
from core import logs

if TYPE_CHECKING:
    from jobs.runtime import Runtime

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_UNKNOWN = 3


def settings_or_exit(args: argparse.Namespace, nagios: bool = False) -> Settings:
    """The configuration, with logging set up from it; or one line naming the problem, exit 3."""
    from jobs.settings import load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as error:
        fail(str(error), nagios)
    app = settings.app
    logs.configure(app.logging.level, app.logging.format, secret_values(settings))
    return settings


def add_account_option(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--account", metavar="NAME", help=f"one account of a fleet (default: {default})"
    )


def chosen_accounts(
    settings: Settings, args: argparse.Namespace, nagios: bool = False
) -> list[str]:
    """The accounts a command covers: `--account`, else every account watched."""
    fleet = [member.account for member in settings.fleet()]
    wanted = getattr(args, "account", None)
    if wanted is None:
        return fleet
    if wanted not in fleet:
        fail(f"no account named {wanted!r} (watched: {', '.join(fleet)})", nagios)
    return [wanted]


def one_account(settings: Settings, args: argparse.Namespace, nagios: bool = False) -> Settings:
    """The one account a command acts on: `--account`, else the only one watched."""
    names = chosen_accounts(settings, args, nagios)
    if len(names) > 1:
        fail(
            f"this configuration watches {len(names)} accounts ({', '.join(names)}): "
            "name one with --account",
            nagios,
        )
    member = settings.of_account(names[0])
    assert member is not None
    return member


def fail(message: str, nagios: bool = False) -> NoReturn:
    """Exit 3 with one line: a Nagios status line on stdout for `check`, else on stderr."""
    if nagios:
        print(f"UNKNOWN - {message}")
    else:
        print(f"alert-matrix: {message}", file=sys.stderr)
    raise SystemExit(EXIT_UNKNOWN)


@contextmanager
def runtime_for(args: argparse.Namespace) -> Iterator[Runtime]:
    """The configuration and a runtime around it, closed (connections, sockets) afterwards."""
    from jobs.runtime import Runtime

    runtime = Runtime(settings_or_exit(args))
    try:
        yield runtime
    finally:
        runtime.close()


def operator_name() -> str:
    """Who runs the command, for the history: $ALERT_MATRIX_OPERATOR, else the login name."""
    try:
        return os.environ.get("ALERT_MATRIX_OPERATOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def user_error(message: str) -> int:
    """An operator command that could not be done: one line on stderr, exit 1."""
    print(f"alert-matrix: {message}", file=sys.stderr)
    return EXIT_ERROR
