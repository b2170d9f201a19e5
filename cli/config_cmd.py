"""`config check`: validate the configuration and print what is in force, secrets masked."""

from __future__ import annotations

import argparse

import yaml

from cli.common import settings_or_exit
from config.loader import Settings
from config.redact import shown_settings


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("config", parents=[common], help="configuration commands")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check",
        parents=[common],
        help="validate and print the configuration in force (secrets masked)",
    )
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    settings = settings_or_exit(args)
    print(f"# configuration OK: {settings.config_dir.resolve()}")
    print(yaml.safe_dump(shown_settings(settings), sort_keys=False), end="")
    if settings.app.exchange.id is not None:
        print(f"# exchange account type: {account_type_line(settings)}")
    return 0


def account_type_line(settings: Settings) -> str:
    """The account type the exchange will be read as, and how it was decided (the bot's
    symbols count: `exchange.derivatives` unset is not "ccxt's default")."""
    from sources.errors import SourceError
    from sources.exchange.client import build_client
    from sources.state_file import read_state

    try:
        symbols = list(read_state(settings.app.paths.state_file).positions)
    except SourceError:
        symbols = []
    try:
        account = build_client(settings.app.exchange, symbols).account
    except SourceError as error:
        return f"unknown ({error})"
    return f"{account.kind} (from {account.source})"
