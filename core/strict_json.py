"""JSON as the standard defines it, for input from outside: Python's `json` also accepts
NaN, Infinity and numbers too large for a float (read as inf), none of which is a number a
threshold can be compared with."""

from __future__ import annotations

import json
import math
from typing import Any


class NotJson(ValueError):
    """The text is not standard JSON; the message says why in one line."""


def _refuse_constant(name: str) -> Any:
    raise NotJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotJson(f"{text} is too large for a number")
    return value


def loads(text: str | bytes, finite: bool = True) -> Any:
    """`json.loads`, refusing NaN, Infinity, overflowing numbers and absurd nesting. With
    `finite=False` the non-finite numbers are read as floats, for a schema that refuses them
    where it reads them (and so can name the field)."""
    numbers = {"parse_constant": _refuse_constant, "parse_float": _finite} if finite else {}
    try:
        return json.loads(text, **numbers)
    except NotJson:
        raise
    except ValueError as error:  # not JSON, not UTF-8, an integer of thousands of digits
        raise NotJson(str(error)) from None
    except RecursionError:
        raise NotJson("nested too deeply") from None
