"""Server side of the ``/_emulator/...`` control API (the client is ``control.py``).

Lets another process (a demo, a benchmark, the watchdog under test) change state, inject
faults and read request counts over plain HTTP+JSON.  Bad input answers 400 with
``{"error": "..."}``; nothing here is counted as exchange traffic.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .faults import Fault
from .venues import Response

if TYPE_CHECKING:
    from .server import ExchangeEmulator

PREFIX = "/_emulator"

ControlHandler = Callable[["ExchangeEmulator", dict[str, Any], Mapping[str, list[str]]], Any]


def _exchange(query: Mapping[str, list[str]], body: dict[str, Any]) -> str | None:
    values = query.get("exchange")
    return values[-1] if values else body.get("exchange")


def _set_state(emu: ExchangeEmulator, body: dict[str, Any], _: Mapping[str, list[str]]) -> Any:
    mode = body.pop("mode", "patch")
    if mode not in ("patch", "replace"):
        raise ValueError("mode must be 'patch' or 'replace'")
    emu.state.patch(body, replace=mode == "replace")
    return emu.state.snapshot().to_dict()


def _add_fault(emu: ExchangeEmulator, body: dict[str, Any], _: Mapping[str, list[str]]) -> Any:
    return emu.faults.add(Fault.from_dict(body)).to_dict()


def _reset(emu: ExchangeEmulator, body: dict[str, Any], _: Mapping[str, list[str]]) -> Any:
    emu.reset()
    return {"ok": True}


def _reset_counts(emu: ExchangeEmulator, body: dict[str, Any], _: Mapping[str, list[str]]) -> Any:
    emu.reset_counts()
    return {"ok": True}


ROUTES: dict[tuple[str, str], ControlHandler] = {
    ("GET", "/health"): lambda emu, body, q: {"ok": True, "base_url": emu.base_url},
    ("GET", "/state"): lambda emu, body, q: emu.state.snapshot().to_dict(),
    ("POST", "/state"): _set_state,
    ("POST", "/reset"): _reset,
    ("GET", "/faults"): lambda emu, body, q: [f.to_dict() for f in emu.faults.active()],
    ("POST", "/fault"): _add_fault,
    ("POST", "/clear"): lambda emu, body, q: {"removed": emu.clear_faults(_exchange(q, body))},
    ("GET", "/counts"): lambda emu, body, q: emu.log.summary(_exchange(q, body)),
    ("GET", "/log"): lambda emu, body, q: [
        r.to_dict() for r in emu.log.records(_exchange(q, body))
    ],
    ("POST", "/reset_counts"): _reset_counts,
}


def handle_control(
    emu: ExchangeEmulator, method: str, path: str, query: Mapping[str, list[str]], raw_body: bytes
) -> Response:
    """Dispatch one control request; ``path`` still carries the ``/_emulator`` prefix."""
    handler = ROUTES.get((method, path[len(PREFIX) :].rstrip("/") or "/"))
    if handler is None:
        return Response.json({"error": f"no control route {method} {path}"}, 404)
    try:
        body = json.loads(raw_body) if raw_body.strip() else {}
        if not isinstance(body, dict):
            raise ValueError("request body must be a JSON object")
        return Response.json(handler(emu, body, query))
    except (ValueError, TypeError) as exc:
        return Response.json({"error": str(exc)}, 400)
