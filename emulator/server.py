"""``ExchangeEmulator``: a local HTTP server that real ccxt clients talk to.

URLs look like ``http://127.0.0.1:PORT/<ccxt id>/<original host>/<original path>``, e.g.
``/binanceusdm/fapi.binance.com/fapi/v3/positionRisk`` (``ccxt_config_for`` builds them).
The ccxt id segment is optional -- ``/api.binance.com/api/v3/account`` works too and is
attributed to the host's usual exchange -- but with it, faults and request counts can be
scoped to one ccxt instance even when two ids share a host (binance/binanceusdm both call
``api.binance.com/sapi``).  ``/_emulator/...`` is the control API.

Threading: one daemon thread per connection (ThreadingHTTPServer); state, faults and the
request log each have their own lock, and handlers render from the published state, which
is replaced on change, never mutated.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace as with_fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .control_api import PREFIX, handle_control
from .faults import Fault, FaultBook
from .request_log import RequestLog, RequestRecord
from .state import State, StateStore, default_state
from .venues import DEFAULT_EXCHANGE_FOR_HOST, Request, Response, Venue, build_venues

logger = logging.getLogger(__name__)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: ExchangeEmulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real exchanges behind a CDN
    disable_nagle_algorithm = True  # header+body in separate segments would cost ~40 ms
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        response, delay = self.server.emulator.dispatch(
            self.command, self.path, dict(self.headers.items()), body
        )
        if delay > 0:
            self.server.emulator.sleep(delay)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request stderr logging; use ``request_log()`` instead."""


def split_target(path: str) -> tuple[str, str, str] | None:
    """``/[<exchange>/]<host>/<path>`` -> (exchange, host, /path); None if unroutable."""
    parts = path.lstrip("/").split("/")
    if len(parts) >= 2 and "." not in parts[0] and "." in parts[1]:
        exchange, host, rest = parts[0], parts[1], parts[2:]
    elif parts and "." in parts[0]:
        host, rest = parts[0], parts[1:]
        exchange = DEFAULT_EXCHANGE_FOR_HOST.get(host, host)
    else:
        return None
    return exchange, host, "/" + "/".join(rest)


class ExchangeEmulator:
    """Threaded local exchange emulator with state, faults and request counting.

    Use as a context manager (``with ExchangeEmulator() as emu:``) or ``start()``/``stop()``.
    ``emu.state`` (``StateStore``), ``emu.faults`` (``FaultBook``) and ``emu.log``
    (``RequestLog``) are the thread-safe parts; the methods below are shortcuts.
    """

    default_state = staticmethod(default_state)

    def __init__(
        self, state: State | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.state = StateStore(state)
        self.faults = FaultBook()
        self.log = RequestLog()
        self._venues: dict[str, Venue] = build_venues()
        self._address = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # --- lifecycle ------------------------------------------------------------------

    def start(self) -> ExchangeEmulator:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(self._address, _Handler)
        server.emulator = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="exchange-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes handlers sleeping in a ``slow`` fault so nothing lingers."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ExchangeEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("emulator is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self._address[0]}:{self.port}"

    def sleep(self, seconds: float) -> None:
        """Delay used by faults; returns early when the emulator stops."""
        self._stopping.wait(seconds)

    # --- shortcuts ------------------------------------------------------------------

    def add_fault(self, kind: str, **options: Any) -> Fault:
        """Inject a fault, e.g. ``add_fault("http_429", exchange="binance", times=1)``."""
        return self.faults.add(Fault(kind=kind, **options))  # type: ignore[arg-type]

    def clear_faults(self, exchange: str | None = None) -> int:
        return self.faults.clear(exchange)

    def requests_total(self, exchange: str | None = None) -> int:
        return self.log.total(exchange)

    def request_counts(self, exchange: str | None = None) -> dict[str, int]:
        return self.log.counts(exchange)

    def requests_by_key(self, exchange: str | None = None) -> dict[str, dict[str, int]]:
        """Public and private requests per API key (see ``RequestLog.by_api_key``)."""
        return self.log.by_api_key(exchange)

    def request_log(self, exchange: str | None = None) -> list[RequestRecord]:
        return self.log.records(exchange)

    def reset_counts(self) -> None:
        self.log.reset()

    def reset(self, state: State | None = None) -> None:
        """Back to a clean slate: given (or default) state, no faults, zero counts."""
        self.state.replace(state if state is not None else default_state())
        self.faults.clear()
        self.log.reset()

    # --- request handling -----------------------------------------------------------

    def dispatch(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[Response, float]:
        """Answer one HTTP request; returns the response and a delay to apply first."""
        url = urlsplit(raw_path)
        query = parse_qs(url.query, keep_blank_values=True)
        if url.path == PREFIX or url.path.startswith(PREFIX + "/"):
            return handle_control(self, method, url.path, query, body), 0.0
        target = split_target(url.path)
        venue = self._venues.get(target[1]) if target else None
        if target is None or venue is None:
            return Response.text(f"unknown exchange host in {url.path}\n", 404), 0.0
        exchange, host, path = target
        request = Request(exchange, method, host, path, query, headers, body)
        route = venue.route_of(request)
        fault = self.faults.take(
            exchange, request.target, market_list=route is not None and route.market_list
        )
        try:
            if fault is None or fault.kind in ("slow", "empty_markets"):
                state = self.state.current()
                if fault is not None and fault.kind == "empty_markets":
                    state = with_fields(state, markets={})
                response = venue.handle(request, state)
            else:
                response = venue.fault_response(fault, request)
        except Exception as exc:  # an emulator bug must not hang the client
            logger.exception("emulator failed to answer %s %s", method, raw_path)
            response = Response.text(f"emulator error: {exc!r}\n", 500)
        self.log.record(
            RequestRecord(
                ts=time.time(),
                exchange=exchange,
                method=method,
                host=host,
                path=path,
                query=url.query,
                status=response.status,
                fault=fault.kind if fault else None,
                api_key=venue.api_key(request),
                private=route is not None and route.private,
            )
        )
        return response, fault.delay if fault else 0.0
