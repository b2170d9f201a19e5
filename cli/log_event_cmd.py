"""`log-event KIND [--symbol S] [--code C] [--message M] [--context JSON] [--ts ISO]`: append
one event to the error log, for a bot (or a shell script) that is not written in Python."""

from __future__ import annotations

import argparse

from cli.common import add_account_option, fail, one_account, settings_or_exit
from core.error_kinds import KINDS


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "log-event",
        parents=[common],
        help="append an event to the error log",
        description=(
            "Append one event to the bot's error log, as source `bot` of the configured "
            "account. Exit 0 when recorded; 3 (nothing recorded) on a bad argument or when "
            "the database cannot be written."
        ),
    )
    parser.add_argument("kind", metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    parser.add_argument("--symbol", help="market, e.g. BTC/USD")
    parser.add_argument("--code", help="the exchange's error code, or the exception type")
    parser.add_argument("--message", help="what happened, in words")
    parser.add_argument("--context", metavar="JSON", help="more figures, as a JSON object")
    parser.add_argument("--ts", metavar="ISO", help="when (ISO 8601 or epoch seconds; default now)")
    add_account_option(parser, "the only account watched")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from errorlog.parse import parse_context, parse_ts
    from errorlog.writer import ErrorLog
    from store.db import describe

    settings = one_account(settings_or_exit(args), args)
    writer = ErrorLog(settings.app.database_url.get_secret_value(), settings.account)
    try:
        event = writer.event(
            args.kind,
            symbol=args.symbol,
            code=args.code,
            message=args.message,
            context=None if args.context is None else parse_context(args.context),
            ts=None if args.ts is None else parse_ts(args.ts),
        )
    except ValueError as problem:  # BadEvent too
        fail(f"log-event: {problem}; nothing recorded")
    try:
        writer.add(event)
    except Exception as error:  # noqa: BLE001 - one line, exit 3, whatever the database says
        fail(f"log-event: not recorded: {describe(error)}")
    finally:
        writer.close()
    print(f"recorded {event.kind} for {event.account} at {event.ts.isoformat()}")
    return 0
