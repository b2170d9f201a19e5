"""The daemon's own HTTP endpoints: /metrics (Prometheus text format) and /healthz, and
whatever page the caller mounts for every other path (the status page)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

from jobs.health import JobHealth
from jobs.metrics import Metrics

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


class HealthServer:
    """Serves in a background thread; `/healthz` is 200 while every job runs on time."""

    def __init__(
        self,
        host: str,
        port: int,
        metrics: Metrics,
        health: JobHealth,
        running: Callable[[], bool],
        page: WsgiApp | None = None,
    ) -> None:
        self._metrics_app = make_wsgi_app(metrics.registry)
        # read at every scrape, so /metrics never shows the health of the last /healthz call
        metrics.healthy.set_function(lambda: int(self.healthy()[0]))
        self._health = health
        self._running = running
        self._page = page
        self._server = make_server(
            host, port, self._app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_port

    def start(self) -> None:
        self._thread.start()
        page = " and the status page at /" if self._page is not None else ""
        log.info("serving /metrics and /healthz%s on port %d", page, self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def healthy(self) -> tuple[bool, dict[str, Any]]:
        running = self._running()
        ok, late = self._health.healthy(running)
        return ok, {
            "status": "ok" if ok else "unhealthy",
            "scheduler_running": running,
            "late_jobs": late,
            "jobs": self._health.snapshot(),
        }

    def _app(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return self._metrics_app(environ, start_response)
        if path == "/healthz":
            ok, document = self.healthy()
            body = json.dumps(document, default=str).encode()
            status = "200 OK" if ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            return [body]
        if self._page is not None:
            return self._page(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"try /metrics or /healthz\n"]
