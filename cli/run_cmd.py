"""`run`: the daemon (APScheduler), until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse

from cli.common import fail, settings_or_exit


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "run",
        parents=[common],
        help="run as a daemon: every check on its own schedule",
        description="Run every check on its own interval (`schedule:` in app.yaml), deliver "
        "notifications, serve /metrics, /healthz and the status page. SIGTERM or SIGINT "
        "finishes the running jobs and exits 0.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from jobs.daemon import Daemon
    from web.mount import daemon_page

    settings = settings_or_exit(args)
    page, problem = daemon_page(settings)
    if problem:
        fail(problem)
    return Daemon(settings, page).run()
