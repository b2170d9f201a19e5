"""`test-alerts [--production-scenarios]`: every alert type through the real delivery path."""

from __future__ import annotations

import argparse
import uuid
from collections import Counter

from checks.registry import CHECKS
from cli import table
from cli.common import runtime_for, user_error
from core import clock


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "test-alerts",
        parents=[common],
        help="send a test notification of every alert type to the channels",
        description="Force each alert type of the matrix through the outbox and the real "
        "channels (status: test). Alert state is not touched. Exit 0 when every channel "
        "took every notification, 1 otherwise.",
    )
    parser.add_argument(
        "--production-scenarios",
        action="store_true",
        help="realistic incidents with the figures a real alert carries",
    )
    parser.add_argument(
        "--channel", action="append", help="only this channel (repeatable; default: all)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from alerts.scenarios import test_notification
    from store.models import OutboxItem
    from store.outbox import SENT, enqueue

    with runtime_for(args) as runtime:
        channels = runtime.channels
        wanted = args.channel or list(channels)
        unknown = sorted(set(wanted) - set(channels))
        if unknown:
            return user_error(
                f"no channel named {', '.join(unknown)} (have: {', '.join(channels)})"
            )
        settings, now = runtime.settings, clock.utcnow()
        ids = []
        with runtime.database.write() as session:
            for check in CHECKS.values():
                notification = test_notification(
                    check, settings.account, settings.policy, now, args.production_scenarios
                )
                ids.append(str(uuid.uuid4()))
                enqueue(session, ids[-1], wanted, notification, now)
        runtime.deliverer.deliver_due()
        with runtime.database.read() as session:
            rows = session.scalars(select(OutboxItem).where(OutboxItem.notification_id.in_(ids)))
            outcome = [(row.channel, row.state, row.last_error) for row in rows]
    delivered = Counter(channel for channel, state, _ in outcome if state == SENT)
    errors = {channel: error for channel, state, error in outcome if state != SENT and error}
    lines = [
        (name, f"{delivered[name]}/{len(ids)}", errors.get(name, "") or "-") for name in wanted
    ]
    print(table.render(("CHANNEL", "DELIVERED", "LAST ERROR"), lines))
    return 0 if all(delivered[name] == len(ids) for name in wanted) else 1
