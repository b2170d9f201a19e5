"""`transfer record AMOUNT [--at ISO] [--note TEXT]`: tell alert-matrix that money moved in or
out of the account (a deposit > 0, a withdrawal < 0, in `risk.equity_currency`), so the loss
checks measure from what remained instead of calling it a loss; for exchanges whose deposits
and withdrawals cannot be read."""

from __future__ import annotations

import argparse
import math

from cli.common import add_account_option, one_account, runtime_for, user_error
from config.policy import EquityPolicy
from core import clock


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    transfer = commands.add_parser(
        "transfer", parents=[common], help="deposits and withdrawals (not trading results)"
    )
    actions = transfer.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    record = actions.add_parser(
        "record",
        parents=[common],
        help="record a deposit (> 0) or a withdrawal (< 0)",
        description="Record money moved in (a positive AMOUNT) or out (negative) of the "
        "account, in risk.equity_currency: the day, week and peak baselines move by it.",
    )
    record.add_argument("amount", metavar="AMOUNT", type=float, help="e.g. 5000 or -20000")
    record.add_argument("--at", metavar="ISO", help="when (ISO 8601 or epoch seconds; default now)")
    record.add_argument("--note", default="", help="what it was, for the record")
    add_account_option(record, "the only account watched")
    record.set_defaults(handler=run_record)


def run_record(args: argparse.Namespace) -> int:
    from errorlog.parse import parse_ts
    from store.transfers import TransferRow, add_transfer

    if not math.isfinite(args.amount) or args.amount == 0:
        return user_error(f"transfer record: {args.amount} is no amount of money")
    with runtime_for(args) as runtime:
        now = clock.utcnow()
        try:
            at = now if args.at is None else parse_ts(args.at)
        except ValueError as problem:
            return user_error(f"transfer record: {problem}")
        settings = one_account(runtime.settings, args)
        currency = settings.policy.of(EquityPolicy).equity_currency
        ref = f"{at.isoformat()} {args.note}".strip()
        row = TransferRow(at, args.amount, "operator", ref)
        with runtime.database.write() as session:
            added = add_transfer(session, settings.account, currency, row, now)
        if not added:
            return user_error(f"transfer record: the same transfer is recorded already ({ref})")
        kind = "deposit" if args.amount > 0 else "withdrawal"
        print(f"recorded {kind} of {abs(args.amount):,.2f} {currency} at {at.isoformat()}")
    return 0
