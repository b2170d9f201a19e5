"""Load the inputs a set of checks needs, each once per cycle, each failure kept as a reason."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from checks.inputs import InputName, Inputs
from config.loader import Settings
from sources.error_log import load_error_log
from sources.errors import SourceError
from sources.kill_switch import read_kill_switch
from sources.state_file import read_state

if TYPE_CHECKING:
    from checks.base import Check
    from store.db import Database

log = logging.getLogger(__name__)


@dataclass
class SourceContext:
    """What loaders may use: the settings, the cycle's time, the database (opened on first
    use), the checks of the cycle (so a loader reads only what they ask for), caches kept
    across cycles (`shared`) and for this cycle only (`cache`)."""

    settings: Settings
    now: datetime
    database: Callable[[], Database]
    dry_run: bool = False
    checks: Sequence[Check] = ()
    shared: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)


Loader = Callable[[SourceContext], Any]

LOADERS: dict[InputName, Loader] = {
    InputName.KILL_SWITCH: lambda ctx: read_kill_switch(ctx.settings.app.paths.kill_switch_file),
    InputName.BOT_STATE: lambda ctx: read_state(ctx.settings.app.paths.state_file),
    InputName.ERROR_LOG: load_error_log,
}


def collect(needed: Iterable[InputName], ctx: SourceContext) -> Inputs:
    """Each needed input once: a value, or the reason it could not be had."""
    inputs = Inputs()
    for name in dict.fromkeys(needed):
        try:
            inputs.values[name] = LOADERS[name](ctx)
        except SourceError as error:
            inputs.errors[name] = str(error)
        except Exception as error:
            log.exception("loading input %s failed", name.value)
            inputs.errors[name] = f"{type(error).__name__}: {error}"
    return inputs
