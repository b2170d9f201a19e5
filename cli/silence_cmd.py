"""`silence NAME --for 2h` and `unsilence NAME`: mute delivery, not evaluation."""

from __future__ import annotations

import argparse

from alerts.names import OperatorError, alert_name, parse_duration
from cli.common import add_account_option, one_account, operator_name, runtime_for, user_error
from core import clock


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    mute = commands.add_parser(
        "silence",
        parents=[common],
        help="mute an alert's notifications for a while",
        description="Mute the notifications of NAME until the time runs out (or `unsilence`). "
        "The check is still evaluated and `status` still shows the truth.",
    )
    mute.add_argument("name", metavar="NAME", help="check name, title, or check_failing:NAME")
    mute.add_argument(
        "--for", dest="duration", required=True, help="how long: 90s, 30m, 2h, 1d, 1h30m"
    )
    mute.add_argument("--reason", default="", help="why, for the history")
    mute.add_argument("--by", default=None, help="who silences (default: login name)")
    add_account_option(mute, "the only account watched")
    mute.set_defaults(handler=run_silence)
    unmute = commands.add_parser(
        "unsilence", parents=[common], help="end the silences of an alert now"
    )
    unmute.add_argument("name", metavar="NAME", help="check name, title, or check_failing:NAME")
    unmute.add_argument("--by", default=None, help="who ends it (default: login name)")
    add_account_option(unmute, "the only account watched")
    unmute.set_defaults(handler=run_unsilence)


def run_silence(args: argparse.Namespace) -> int:
    from alerts.operator import silence

    with runtime_for(args) as runtime:
        try:
            name = alert_name(args.name)
            duration = parse_duration(args.duration)
        except OperatorError as error:
            return user_error(str(error))
        by = args.by or operator_name()
        account = one_account(runtime.settings, args).account
        with runtime.database.write() as session:
            row = silence(session, account, name, duration, by, args.reason, clock.utcnow())
        until = row.until.isoformat(timespec="seconds")
        print(f"silenced {account}:{name} until {until}")
    return 0


def run_unsilence(args: argparse.Namespace) -> int:
    from alerts.operator import unsilence

    with runtime_for(args) as runtime:
        try:
            name = alert_name(args.name)
        except OperatorError as error:
            return user_error(str(error))
        account = one_account(runtime.settings, args).account
        with runtime.database.write() as session:
            ended = unsilence(session, account, name, args.by or operator_name(), clock.utcnow())
        if not ended:
            return user_error(f"{account}:{name} has no active silence")
        print(f"unsilenced {account}:{name} ({ended} silence{'s' if ended > 1 else ''} ended)")
    return 0
