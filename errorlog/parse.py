"""Outside input (a JSON line, command-line arguments) to a validated `NewEvent`.

Every problem is a `BadEvent` whose text names the field and what is wrong with it, so a bad
line can be reported as `file:line: reason` and skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core import strict_json
from core.clock import as_utc
from store.error_events import NewEvent


class BadEvent(ValueError):
    """The input cannot become an event; the message says which field and why."""


def parse_ts(value: Any) -> datetime:
    """ISO 8601 text (without a zone: UTC) or epoch seconds (a number or numeric text)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text)
        except ValueError:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise BadEvent(f"ts: {value!r} is not ISO 8601 or epoch seconds") from None
            return as_utc(moment)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise BadEvent(f"ts: {value!r} is not a valid epoch time in seconds") from None
    raise BadEvent(f"ts: must be ISO 8601 text or epoch seconds, not {_type(value)}")


def parse_context(text: str) -> dict[str, Any]:
    """A `--context` argument: a JSON object."""
    return _json_object(text, "context: ")


def parse_line(raw: bytes, default_account: str) -> NewEvent | None:
    """One JSON line of the bot's error log; None for a blank line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadEvent("not UTF-8 text") from None
    if not text.strip():
        return None
    return event_from_fields(_json_object(text, ""), default_account)


def event_from_fields(document: dict[str, Any], default_account: str) -> NewEvent:
    """The documented fields (`ts`, `kind`, optional `source`, `account`, `symbol`, `code`,
    `message`, `context`); other keys are ignored."""
    for required in ("ts", "kind"):
        if document.get(required) is None:
            raise BadEvent(f"{required}: missing")
    context = document.get("context")
    if context is not None and not isinstance(context, dict):
        raise BadEvent(f"context: must be a JSON object, not {_type(context)}")
    code = document.get("code")
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)
    try:
        return NewEvent(
            kind=_text(document, "kind") or "",
            ts=parse_ts(document["ts"]),
            source=_text(document, "source") or "bot",
            account=_text(document, "account") or default_account,
            symbol=_text(document, "symbol"),
            code=_text({"code": code}, "code"),
            message=_text(document, "message"),
            context=context,
        )
    except BadEvent:
        raise
    except ValueError as error:
        raise BadEvent(str(error)) from None


def _json_object(text: str, field: str) -> dict[str, Any]:
    try:
        value = strict_json.loads(text)
    except strict_json.NotJson as error:
        raise BadEvent(f"{field}not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise BadEvent(f"{field}must be a JSON object, not {_type(value)}")
    return value


def _text(document: dict[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is None or isinstance(value, str):
        return value
    raise BadEvent(f"{key}: must be text, not {_type(value)}")


def _type(value: Any) -> str:
    return {
        dict: "an object",
        list: "an array",
        bool: "a boolean",
        str: "text",
        type(None): "null",
    }.get(type(value), "a number" if isinstance(value, int | float) else type(value).__name__)
