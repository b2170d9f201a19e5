"""Load the inputs a set of checks needs, each once per cycle, each failure kept as a reason."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from config.loader import Settings
from core.inputs import EventQuery, InputName, Inputs
from sources.equity import load_equity
from sources.error_log import load_error_log
from sources.errors import ExchangeFailure, SourceError
from sources.exchange.cycle import exchange_cycle
from sources.kill_switch import read_kill_switch
from sources.state_file import read_state

if TYPE_CHECKING:
    from store.db import Database

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class SourceContext:
    """What loaders may use: the settings, the cycle's time, the database (opened on first
    use), the error-log windows the cycle's checks read (so a loader reads only those), caches kept
    across cycles (`shared`) and for this cycle only (`cache`)."""

    settings: Settings
    now: datetime
    database: Callable[[], Database]
    dry_run: bool = False
    event_queries: tuple[EventQuery, ...] = ()
    shared: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    _finishers: list[Callable[[], None]] = field(default_factory=list)

    def input(self, name: InputName) -> Any:
        """An input, loaded at most once per cycle (a failure is kept and raised again), so a
        source that validates against another input (the balance against the bot's
        positions) shares it with the checks."""
        return self.once(f"input:{name.value}", lambda: LOADERS[name](self))

    def once(self, key: str, produce: Callable[[], T], keep: type[Exception] = Exception) -> T:
        """`produce()` at most once per cycle; a failure of type `keep` is kept and raised
        again to every later caller, so a failing read is neither repeated nor logged twice."""
        if key not in self.cache:
            try:
                self.cache[key] = (produce(), None)
            except keep as error:
                self.cache[key] = (None, error)
        value, error = self.cache[key]
        if error is not None:
            raise error
        return value

    def at_finish(self, action: Callable[[], None]) -> None:
        """Run `action` once every input of the cycle is loaded (e.g. log an API success)."""
        self._finishers.append(action)

    def finish(self) -> None:
        for action in self._finishers:
            try:
                action()
            except Exception:
                log.exception("finishing the cycle's sources failed")
        self._finishers.clear()


Loader = Callable[[SourceContext], Any]

LOADERS: dict[InputName, Loader] = {
    InputName.KILL_SWITCH: lambda ctx: read_kill_switch(ctx.settings.app.paths.kill_switch_file),
    InputName.BOT_STATE: lambda ctx: read_state(ctx.settings.app.paths.state_file),
    InputName.ERROR_LOG: load_error_log,
    InputName.EQUITY: load_equity,
    InputName.EXCHANGE_MARKETS: lambda ctx: exchange_cycle(ctx).markets(),
    InputName.EXCHANGE_TICKERS: lambda ctx: exchange_cycle(ctx).tickers(),
    InputName.EXCHANGE_HOLDINGS: lambda ctx: exchange_cycle(ctx).holdings(),
}


def collect(needed: Iterable[InputName], ctx: SourceContext) -> Inputs:
    """Each needed input once: a value, or the reason it could not be had. The error log is
    read last, once this cycle's own exchange calls are logged in it, so `api_errors` judges
    the runner by this cycle too."""
    inputs = Inputs()
    names = list(dict.fromkeys(needed))
    last = [name for name in names if name is InputName.ERROR_LOG]
    for name in [name for name in names if name not in last]:
        _load(name, ctx, inputs)
    ctx.finish()
    for name in last:
        _load(name, ctx, inputs)
    return inputs


def _load(name: InputName, ctx: SourceContext, inputs: Inputs) -> None:
    try:
        inputs.values[name] = ctx.input(name)
    except SourceError as error:
        inputs.errors[name] = str(error)
        if isinstance(error, ExchangeFailure):
            inputs.exchange_failures.add(name)
    except Exception as error:
        log.exception("loading input %s failed", name.value)
        inputs.errors[name] = f"{type(error).__name__}: {error}"
