"""Shared fixtures: a throw-away configuration folder and a way to run the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator import ExchangeEmulator, ccxt_config_for

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"


@dataclass
class Workspace:
    """A working directory with config/, data/ and the paths the bot would write."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def state_file(self) -> Path:
        return self.data / "state.json"

    @property
    def kill_switch(self) -> Path:
        return self.data / "KILL_SWITCH"

    @property
    def database(self) -> Path:
        return self.data / "alert_matrix.db"

    def write_app(self, text: str) -> None:
        (self.config / "app.yaml").write_text(textwrap.dedent(text))

    def write_policy(self, text: str) -> None:
        (self.config / "policy.yaml").write_text(textwrap.dedent(text))

    def use_exchange(self, emulator: ExchangeEmulator, exchange_id: str, **options) -> None:
        """app.yaml (BASE_APP) with `exchange:` pointing at the emulator. ccxt's exception
        classes cannot be written to YAML, so binance runs on its generic error table."""
        config = ccxt_config_for(exchange_id, emulator.base_url, **options)
        config.pop("exceptions", None)
        exchange = json.dumps({"id": exchange_id, "config": config})
        self.write_app(f"{BASE_APP}exchange: {exchange}\n")

    def write_state(self, document: dict | str) -> None:
        text = document if isinstance(document, str) else json.dumps(document)
        self.state_file.write_text(text)

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """`python main.py ARGS` in this workspace, as an operator or cron would run it."""
        environment = {k: v for k, v in os.environ.items() if k != "ALERT_MATRIX_CONFIG"}
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, str(MAIN), *args],
            cwd=self.root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )


BASE_APP = """\
timezone: UTC
database_url: sqlite:///data/alert_matrix.db
paths:
  state_file: data/state.json
  kill_switch_file: data/KILL_SWITCH
  error_log_file: data/errors.jsonl
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    space = Workspace(tmp_path)
    space.config.mkdir()
    space.data.mkdir()
    space.write_app(BASE_APP)
    space.write_policy("")
    return space


@pytest.fixture(scope="session")
def _running_emulator() -> Iterator[ExchangeEmulator]:
    """One exchange emulator (port 0) for the whole session: starting one per test costs
    ~50 ms; tests get it reset through `emulator`."""
    with ExchangeEmulator() as emu:
        yield emu


@pytest.fixture
def emulator(_running_emulator: ExchangeEmulator) -> ExchangeEmulator:
    """The shared emulator, reset to default state, no faults and zero counts."""
    _running_emulator.reset()
    return _running_emulator
