"""`history`: past alerts and notification deliveries."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from alerts.names import OperatorError, parse_duration, resolve_key
from cli import table
from cli.common import add_account_option, chosen_accounts, one_account, runtime_for, user_error
from core import clock


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "history", parents=[common], help="past alerts and notification deliveries"
    )
    parser.add_argument("--key", help="only this alert (ACCOUNT:NAME or NAME)")
    parser.add_argument(
        "--since", default="24h", help="how far back: a duration (24h, 7d) or an ISO time"
    )
    parser.add_argument("--limit", type=int, default=100, help="at most this many lines")
    parser.add_argument(
        "--runs", action="store_true", help="the check runs instead: start, duration, status"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    add_account_option(parser, "every account")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from store.history import history, runs

    with runtime_for(args) as runtime:
        try:
            since = _since(args.since)
            key = (
                resolve_key(args.key, lambda: one_account(runtime.settings, args).account)
                if args.key
                else None
            )
            accounts = chosen_accounts(runtime.settings, args)
            only = accounts if args.account else None
        except OperatorError as error:
            return user_error(str(error))
        limit = max(args.limit, 1)
        with runtime.database.read() as session:
            if args.runs:
                account, _, check = key.partition(":") if key else ("", "", "")
                lines = runs(
                    session, since, [account] if account else accounts, check or None, limit
                )
            else:
                lines = history(session, since, key, only, limit)
    if args.json:
        document = [
            {
                "ts": line.ts.isoformat(),
                "key": line.key,
                "what": line.what,
                "severity": line.severity,
                "detail": line.detail,
            }
            for line in lines
        ]
        print(json.dumps(document, indent=2))
    elif not lines:
        print(f"nothing since {since.isoformat(timespec='seconds')}")
    else:
        rows = [(table.when(x.ts), x.key, x.what, x.severity, x.detail) for x in lines]
        print(table.render(("TIME", "KEY", "WHAT", "SEVERITY", "DETAIL"), rows))
    return 0


def _since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            return clock.utcnow() - parse_duration(text)
        except OperatorError:
            raise OperatorError(
                f"--since {text!r}: give a duration (90m, 24h, 7d) or an ISO time "
                "(2026-11-27T08:00:00Z)"
            ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
