"""Where the status page is served: mounted in the daemon, or on its own (`alert-matrix web`).

Both refuse, before listening, a host other than loopback when no credential is set: a
page that shows the bot's figures must not be open to the network by accident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from config.loader import Settings
from web.app import StatusPage
from web.auth import Credential, exposure_problem

if TYPE_CHECKING:
    from jobs.daemon import PageFactory
    from jobs.health import JobHealth
    from jobs.runtime import Runtime


def daemon_page(settings: Settings) -> tuple[PageFactory | None, str | None]:
    """The page the daemon mounts (None when `server.page` or the server is off), or why it
    must not start."""
    server = settings.app.server
    if not (server.enabled and server.page):
        return None, None
    credential = Credential.from_environment()
    problem = exposure_problem(server.host, credential)

    def build(runtime: Runtime, health: JobHealth) -> StatusPage:
        return StatusPage(settings, lambda: runtime.database, health.snapshot, credential)

    return build, problem
