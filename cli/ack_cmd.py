"""`ack KEY`: stop escalation and reminders of a firing alert until it resolves."""

from __future__ import annotations

import argparse

from alerts.names import OperatorError, resolve_key
from cli.common import add_account_option, one_account, operator_name, runtime_for, user_error
from core import clock


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "ack",
        parents=[common],
        help="acknowledge a firing alert",
        description="Acknowledge a firing alert: no escalation and no reminders until it "
        "resolves; the resolution is still notified.",
    )
    parser.add_argument("key", metavar="KEY", help="ACCOUNT:NAME, or NAME for this account")
    parser.add_argument("--by", default=None, help="who acknowledges (default: login name)")
    add_account_option(parser, "the account KEY names, else the only one watched")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from alerts.operator import acknowledge

    with runtime_for(args) as runtime:
        try:
            key = resolve_key(args.key, lambda: one_account(runtime.settings, args).account)
            with runtime.database.write() as session:
                alert = acknowledge(session, key, args.by or operator_name(), clock.utcnow())
        except OperatorError as error:
            return user_error(str(error))
        print(f"acknowledged {alert.key} ({alert.title}) by {alert.acknowledged_by}")
    return 0
