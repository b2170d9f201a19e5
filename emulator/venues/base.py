"""Venue plumbing: request/response types, routing, auth gate and fault rendering.

A venue subclass declares its routes and how *its* exchange phrases auth / rate-limit /
not-found errors; this base turns a ``Fault`` into the right response, so fault semantics
live in one place and only the error wording differs per venue.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..faults import Fault
from ..state import State

HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>"
    "<body><h1>Checking your browser before accessing the site.</h1></body></html>\n"
)
HTML_503 = (
    "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\n</body>\n</html>\n"
)
MALFORMED_JSON = '{"data": [{"id": "BTC", "name": "Bitc'


@dataclass(frozen=True)
class Request:
    """An exchange request after the emulator stripped its ``/<exchange>/<host>`` prefix."""

    exchange: str
    method: str
    host: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def params(self, name: str) -> list[str]:
        return list(self.query.get(name, []))

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None

    @property
    def target(self) -> str:
        """``host/path?query`` -- what ``Fault.path_contains`` is matched against."""
        query = "&".join(f"{k}={v}" for k, values in self.query.items() for v in values)
        return f"{self.host}{self.path}" + (f"?{query}" if query else "")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        body = json.dumps(payload, separators=(",", ":")).encode()
        return cls(status, body, headers=dict(headers or {}))

    @classmethod
    def text(
        cls,
        text: str,
        status: int,
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> Response:
        return cls(status, text.encode(), content_type, dict(headers or {}))


Handler = Callable[[Request, State], Response]


@dataclass(frozen=True)
class Route:
    """``pattern`` is ``host/path`` with ``{name}`` placeholders for path parameters."""

    method: str
    pattern: str
    handler: Handler
    private: bool = False
    market_list: bool = False

    def regex(self) -> re.Pattern[str]:
        escaped = re.escape(self.pattern).replace(r"\{", "{").replace(r"\}", "}")
        return re.compile("^" + re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", escaped) + "$")


class Venue(ABC):
    """Base class: subclasses set ``hosts`` and return their routes from ``routes()``."""

    hosts: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._routes = [(route, route.regex()) for route in self.routes()]

    @abstractmethod
    def routes(self) -> Iterable[Route]:
        """The endpoints this venue serves."""

    @abstractmethod
    def api_key(self, request: Request) -> str | None:
        """The API key the client sent, wherever this exchange expects it."""

    @abstractmethod
    def auth_error(self, request: Request, reason: str) -> Response:
        """401 in the exchange's own format."""

    @abstractmethod
    def rate_limit_error(self, request: Request, retry_after: int) -> Response:
        """429 in the exchange's own format (``Retry-After`` is added by the base)."""

    def unavailable_error(self, request: Request) -> Response:
        """503 as a load balancer page: what exchanges serve during outages."""
        return Response.text(HTML_503, 503, "text/html")

    def not_found(self, request: Request) -> Response:
        return Response.text("Not Found", 404)

    def match(self, request: Request) -> tuple[Route, dict[str, str]] | None:
        target = request.host + request.path
        for route, regex in self._routes:
            found = regex.match(target)
            if found and route.method == request.method:
                return route, found.groupdict()
        return None

    def route_of(self, request: Request) -> Route | None:
        matched = self.match(request)
        return matched[0] if matched is not None else None

    def handle(self, request: Request, state: State) -> Response:
        """Private routes answer from the account of the request's API key."""
        matched = self.match(request)
        if matched is None:
            return self.not_found(request)
        route, path_params = matched
        if route.private:
            key = self.api_key(request)
            if not key:
                return self.auth_error(request, "missing API key")
            if state.api_keys is not None and key not in state.api_keys:
                return self.auth_error(request, "unknown API key")
            state = state.for_api_key(key)
        if path_params:  # expose {product_id} etc. like query parameters
            merged = {**request.query, **{k: [v] for k, v in path_params.items()}}
            request = replace(request, query=merged)
        return route.handler(request, state)

    def fault_response(self, fault: Fault, request: Request) -> Response:
        """Render a replacing fault (not ``slow``/``empty_markets``) for this venue."""
        if fault.kind == "html_200":
            response = Response.text(fault.body or HTML_PAGE, 200, "text/html; charset=utf-8")
        elif fault.kind == "malformed_json_200":
            response = Response(200, (fault.body or MALFORMED_JSON).encode())
        elif fault.kind == "http_401":
            response = self.auth_error(request, "injected fault")
        elif fault.kind == "http_429":
            response = self.rate_limit_error(request, fault.retry_after)
            response.headers["Retry-After"] = str(fault.retry_after)
        elif fault.kind == "http_503":
            response = self.unavailable_error(request)
        else:
            raise ValueError(f"fault kind {fault.kind!r} does not replace the response")
        if fault.status is not None:
            response.status = fault.status
        if fault.body is not None:
            response.body = fault.body.encode()
        return response
