"""`status`: every alert's state (firing / resolved / acknowledged / silenced / unknown)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from cli import table
from cli.common import add_account_option, chosen_accounts, runtime_for
from core import clock

if TYPE_CHECKING:
    from alerts.status import StatusRow


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "status", parents=[common], help="every alert's state, since when, last notified"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    add_account_option(parser, "every account")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from alerts.status import read_status
    from store.outbox import delivery_stats

    rows: list[StatusRow] = []
    with runtime_for(args) as runtime:
        accounts = chosen_accounts(runtime.settings, args)
        now = clock.utcnow()
        with runtime.database.read() as session:
            deliveries = delivery_stats(session)
            for member in runtime.fleet():
                if member.settings.account in accounts:
                    rows += read_status(session, member.settings, now, deliveries)
    if args.json:
        document = {"accounts": accounts, "alerts": [r.to_dict() for r in rows]}
        if len(accounts) == 1:
            document = {"account": accounts[0], "alerts": document["alerts"]}
        print(json.dumps(document, indent=2))
    else:
        print(_render(rows))
    return 0


def _render(rows: list[StatusRow]) -> str:
    header = ("KEY", "STATE", "SEVERITY", "SINCE", "LAST NOTIFIED", "SENT", "DELIVERY", "SUMMARY")
    body = [
        (
            row.key,
            row.state,
            row.severity,
            table.when(row.since),
            table.when(row.last_notified),
            str(row.notifications),
            row.delivery or "-",
            f"[{row.muted}] {row.summary}" if row.muted else row.summary,
        )
        for row in rows
    ]
    return table.render(header, body)
