"""``ReplayExchange``: a local HTTP server answering real ccxt clients with recorded answers.

The emulator (``ExchangeEmulator``) computes answers from a state; a replay serves what an
exchange really sent, so ccxt's own request building and response parsing run on true
payloads. URLs are the emulator's (``/<ccxt id>/<host>/<path>``, built by
``ccxt_config_for``). A recording is a JSON file::

    {"request": {"method": "GET", "host": "api.bybit.com", "path": "/v5/market/tickers",
                 "query": {"category": "spot"}},
     "body": {...}}

A request matches a recording when method, host and path are equal and every query
parameter the recording names has that value; the most specific match wins. Anything else
is answered 404 and kept in ``unmatched``, so a test can tell that ccxt asked for something
no recording holds. Tests may replace a recording's body for a scenario (``serve``).

Instead of ``body`` a recording may name an answer of the folder's ``ccxt-static.json`` (the
entries vendored verbatim from ccxt's own static test recordings)::

    {"request": {...}, "body_from": {"method": "fetchBalance", "description": "..."}}

and is then served that entry's ``httpResponse`` as it stands there.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .request_log import RequestRecord
from .server import ExchangeEmulator, split_target
from .venues import Response

STATIC = "ccxt-static.json"  # not a recording: the vendored answers recordings refer to
# Not a recording either: ccxt's recorded unified markets, which the replayed ones are checked
# against (tests/replay/test_markets_recorded.py); never served
STATIC_MARKETS = "ccxt-static-markets.json"


def vendored_answer(static: Path, method: str, description: str) -> Any:
    """The `httpResponse` of one entry of a vendored ccxt static response file."""
    entries = json.loads(static.read_text())["methods"][method]
    for entry in entries:
        if entry["description"] == description:
            return entry["httpResponse"]
    raise KeyError(f"{static}: no {method} entry {description!r}")


@dataclass
class Recording:
    """One recorded answer and the request it answers."""

    name: str
    method: str
    host: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 200
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Recording:
        document = json.loads(path.read_text())
        request = document["request"]
        body = document.get("body")
        if "body_from" in document:
            body = vendored_answer(path.parent / STATIC, **document["body_from"])
        return cls(
            path.stem,
            request.get("method", "GET"),
            request["host"],
            request["path"],
            {key: str(value) for key, value in request.get("query", {}).items()},
            body,
            document.get("status", 200),
            {key: value for key, value in document.items() if key not in ("request", "body")},
        )

    def matches(self, method: str, host: str, path: str, query: dict[str, list[str]]) -> bool:
        if (method, host, path) != (self.method, self.host, self.path):
            return False
        return all(query.get(key, [None])[-1] == value for key, value in self.query.items())


class ReplayExchange(ExchangeEmulator):
    """Serves the recordings of a folder (one subfolder per ccxt id) over HTTP.

    Reuses the emulator's server, URL scheme and request counting; only ``dispatch``
    differs: it looks answers up instead of computing them.
    """

    def __init__(self, folder: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host=host, port=port)
        self.folder = folder
        self.recordings: dict[str, list[Recording]] = {}
        self.unmatched: list[str] = []
        self._lock = threading.Lock()

    def exchange(self, exchange_id: str) -> list[Recording]:
        """The recordings of one exchange (loaded on first use)."""
        with self._lock:
            if exchange_id not in self.recordings:
                files = sorted((self.folder / exchange_id).glob("*.json"))
                self.recordings[exchange_id] = [
                    Recording.load(path)
                    for path in files
                    if path.name not in (STATIC, STATIC_MARKETS)
                ]
            return self.recordings[exchange_id]

    def recording(self, exchange_id: str, name: str) -> Recording:
        for recording in self.exchange(exchange_id):
            if recording.name == name:
                return recording
        raise KeyError(f"{exchange_id} has no recording {name!r}")

    def serve(self, exchange_id: str, name: str, body: Any) -> None:
        """Answer with `body` instead of the recorded one (a scenario of a test)."""
        self.recording(exchange_id, name).body = copy.deepcopy(body)

    def reload(self) -> None:
        """Forget scenario changes: the recordings as stored."""
        with self._lock:
            self.recordings.clear()
            self.unmatched.clear()

    def dispatch(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[Response, float]:
        url = urlsplit(raw_path)
        query = parse_qs(url.query, keep_blank_values=True)
        target = split_target(url.path)
        if target is None:
            return Response.text(f"unroutable path {url.path}\n", 404), 0.0
        exchange, host, path = target
        found = [
            recording
            for recording in self.exchange(exchange)
            if recording.matches(method, host, path, query)
        ]
        if found:
            best = max(found, key=lambda recording: len(recording.query))
            response = Response.json(best.body, best.status)
        else:
            self.unmatched.append(f"{exchange} {method} {host}{path}?{url.query}")
            response = Response.json({"error": "no recording for this request"}, 404)
        self.log.record(
            RequestRecord(time.time(), exchange, method, host, path, url.query, response.status)
        )
        return response, 0.0


__all__ = ["STATIC", "STATIC_MARKETS", "Recording", "ReplayExchange", "vendored_answer"]
