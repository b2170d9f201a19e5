"""The `alert-matrix` command: parse, load the configuration, dispatch to one command module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from cli import (
    ack_cmd,
    check_cmd,
    config_cmd,
    db_cmd,
    history_cmd,
    log_event_cmd,
    run_cmd,
    silence_cmd,
    status_cmd,
    test_alerts_cmd,
    transfer_cmd,
    web_cmd,
)
from cli.common import EXIT_UNKNOWN
from core.version import __version__

COMMANDS = (
    check_cmd,
    run_cmd,
    web_cmd,
    status_cmd,
    history_cmd,
    ack_cmd,
    silence_cmd,
    test_alerts_cmd,
    log_event_cmd,
    config_cmd,
    db_cmd,
    transfer_cmd,
)


class Parser(argparse.ArgumentParser):
    """Usage errors exit 3 (UNKNOWN), not argparse's 2, which Nagios would read as CRITICAL,
    with an `UNKNOWN - ...` line on stdout: a plugin always says why (the usage goes to
    stderr)."""

    def error(self, message: str) -> NoReturn:
        print(f"UNKNOWN - {self.prog}: {message}")
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNKNOWN, f"{self.prog}: error: {message}\n")


def build_parser() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "--config",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder of app.yaml and policy.yaml (default: $ALERT_MATRIX_CONFIG, else config/)",
    )
    parser = Parser(
        prog="alert-matrix",
        description="Watches a crypto trading bot from outside its process and alerts.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    for module in COMMANDS:
        module.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))
