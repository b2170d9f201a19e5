"""`db upgrade`: apply the schema migrations (also done automatically at start)."""

from __future__ import annotations

import argparse

from cli.common import settings_or_exit
from config.redact import mask_database_url


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("db", parents=[common], help="database commands")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    upgrade = actions.add_parser(
        "upgrade", parents=[common], help="apply schema migrations up to the newest"
    )
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from store.db import Database
    from store.migrate import HEAD_REVISION, upgrade

    settings = settings_or_exit(args)
    url = settings.app.database_url.get_secret_value()
    database = Database(url)
    try:
        upgrade(database)
    finally:
        database.close()
    print(f"database {mask_database_url(url)} is at revision {HEAD_REVISION}")
    return 0
