"""Reads and validates the bot's state file (README: "The bot's state file").

A missing, half-written, non-JSON or wrongly-typed file raises `SourceError` naming the file
and the field, so every check that needs it reports UNKNOWN rather than a false OK.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config.models import Real
from core import format, strict_json
from core.clock import as_utc, implausible
from core.inputs import BotState, Position
from core.symbols import normalise_symbol
from sources.errors import SourceError
from sources.files import mtime_utc

# A bot that rewrites its file in place can be caught mid-write: look once more before
# calling the file malformed.
_REREAD_DELAY_SECONDS = 0.1

# Equity is never negative, and a baseline is divided by: it must be above zero.
Equity = Annotated[Real, Field(ge=0)]
Baseline = Annotated[Real, Field(gt=0)]


class _PositionModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    quantity: Real
    entry_price: Annotated[Real, Field(ge=0)] | None = None


class _StateModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    positions: dict[str, _PositionModel]
    updated_at: datetime | None = None
    equity: Equity | None = None
    day_start_equity: Baseline | None = None
    week_start_equity: Baseline | None = None
    peak_equity: Baseline | None = None

    @field_validator("updated_at", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("must be a time, not a boolean")
        return value

    @field_validator("updated_at")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        # a heartbeat stamped in the future would read as fresh until then: a false OK
        problem = None if value is None else implausible(value)
        if problem:
            raise ValueError(f"{problem}: not a time the bot can have written")
        return value


def read_state(path: Path) -> BotState:
    """The validated state, or `SourceError` with the reason an operator can act on."""
    try:
        return _parse(path)
    except SourceError as first_error:
        if "not valid JSON" not in str(first_error):
            raise
    time.sleep(_REREAD_DELAY_SECONDS)
    return _parse(path)


def _parse(path: Path) -> BotState:
    try:
        stat = path.stat()
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: state file not found") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read the state file: {error.strerror}") from None
    if not raw.strip():
        raise SourceError(f"{path}: the state file is empty (not valid JSON; half-written?)")
    try:
        document = strict_json.loads(raw, finite=False)  # the fields refuse NaN by name
    except strict_json.NotJson as error:
        raise SourceError(f"{path}: not valid JSON ({error}); half-written?") from None
    if not isinstance(document, dict):
        raise SourceError(f"{path}: the top level must be a JSON object")
    try:
        model = _StateModel.model_validate(document)
    except ValidationError as invalid:
        raise SourceError(f"{path}: {_first_problem(invalid)}") from None
    positions: dict[str, Position] = {}
    for raw_symbol, position in model.positions.items():
        symbol = normalise_symbol(raw_symbol)
        if symbol in positions:
            raise SourceError(f"{path}: positions: {raw_symbol!r} repeats {symbol!r}")
        positions[symbol] = Position(symbol, position.quantity, position.entry_price)
    return BotState(
        path=path,
        positions=positions,
        # a timestamp without a zone is taken as UTC (documented in the README)
        updated_at=None if model.updated_at is None else as_utc(model.updated_at),
        modified_at=mtime_utc(stat),
        equity=model.equity,
        day_start_equity=model.day_start_equity,
        week_start_equity=model.week_start_equity,
        peak_equity=model.peak_equity,
    )


def _first_problem(invalid: ValidationError) -> str:
    error = invalid.errors()[0]
    field = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    shown = error.get("input")
    got = (
        f" (got {format.shown(shown)})"
        if error["type"] != "missing" and not isinstance(shown, dict)
        else ""
    )
    return f"{field}: {message}{got}"
