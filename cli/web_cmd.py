"""`web`: the status page on its own, for cron set-ups that run no daemon."""

from __future__ import annotations

import argparse
import logging
import signal
from types import FrameType

from cli.common import fail, settings_or_exit

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "web",
        parents=[common],
        help="serve the status page (the daemon serves it already)",
        description="Serve the status page (alerts, equity, health; ack and silence) on "
        "server.host:server.port. It reads the database and runs no check. SIGTERM or "
        "SIGINT stops it.",
    )
    parser.add_argument("--host", default=None, help="listen on this address (server.host)")
    parser.add_argument("--port", type=int, default=None, help="and this port (server.port)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from core.heap import limit_malloc_arenas, settle_heap
    from jobs.runtime import Runtime
    from web.app import StatusPage
    from web.auth import Credential, exposure_problem

    settings = settings_or_exit(args)
    host = args.host or settings.app.server.host
    port = settings.app.server.port if args.port is None else args.port
    credential = Credential.from_environment()
    problem = exposure_problem(host, credential)
    if problem:
        fail(problem)
    limit_malloc_arenas()  # before the server's threads
    runtime = Runtime(settings)
    page = StatusPage(settings, lambda: runtime.database, credential=credential)
    server = make_server(host, port, page, threaded=True)
    signal.signal(signal.SIGTERM, _interrupt)
    log.info("status page on http://%s:%d/", host, server.port)
    settle_heap()
    try:
        server.serve_forever()  # returns on KeyboardInterrupt (SIGINT, or SIGTERM above)
    finally:
        server.server_close()
        runtime.close()
    return 0


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt
