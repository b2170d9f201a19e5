"""`config check`: validate the configuration and print what is in force, secrets masked."""

from __future__ import annotations

import argparse

import yaml

from cli.common import settings_or_exit
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
    return 0
