"""A real HTTP webhook receiver on 127.0.0.1 for tests, benchmarks and the demo.

It records every request (path, headers, JSON body, arrival time) and answers from a
script: a queue of (status, headers, body) replies used in order, then a default. That is
how tests make a receiver answer 500, then 429 with Retry-After, then 200.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = "ok"
    delay: float = 0.0  # seconds to wait before answering (a slow receiver)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: float  # time.monotonic() on arrival
    answered: int
    raw: bytes = b""  # the body exactly as it arrived


class WebhookReceiver:
    """`with WebhookReceiver() as hooks: ... hooks.url("/slack") ... hooks.requests`.
    `port` 0 picks a free one; a fixed port lets a new receiver stand in for a stopped one."""

    def __init__(self, default: Reply | None = None, port: int = 0) -> None:
        self.default = default or Reply()
        self._script: deque[Reply] = deque()
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def script(self, *replies: Reply) -> None:
        """The next answers, in order; afterwards `default` again."""
        with self._lock:
            self._script.extend(replies)

    @property
    def requests(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def bodies(self, path: str | None = None, answered: int | None = 200) -> list[Any]:
        """JSON bodies received (on `path`, answered with `answered`), in arrival order."""
        return [
            r.body
            for r in self.requests
            if (path is None or r.path == path) and (answered is None or r.answered == answered)
        ]

    def wait_for(self, count: int, timeout: float = 10.0, path: str | None = None) -> bool:
        """Block until `count` requests (on `path`) have arrived, or the timeout ends."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                seen = sum(1 for r in self._received if path is None or r.path == path)
                if seen >= count:
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._arrived.wait(left)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self._script.clear()

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _record(self, received: Received) -> None:
        with self._arrived:
            self._received.append(received)
            self._arrived.notify_all()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # a dead-man's switch ping
                self.do_POST()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                arrived = time.monotonic()
                try:
                    body: Any = json.loads(raw) if raw else None
                except json.JSONDecodeError:
                    body = raw.decode("utf-8", "replace")
                reply = receiver._next_reply()
                receiver._record(
                    Received(
                        self.command,
                        self.path,
                        dict(self.headers),
                        body,
                        arrived,
                        reply.status,
                        raw,
                    )
                )
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up or died before the answer: recorded all the same

            def log_message(self, *_: object) -> None:
                pass

        return Handler
