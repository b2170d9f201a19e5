"""Shared fixtures: a throw-away configuration folder and a way to run the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from emulator import ExchangeEmulator, ccxt_config_for
from store.db import Database
from store.migrate import ensure_schema

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

    @property
    def error_log(self) -> Path:
        return self.data / "errors.jsonl"

    def write_policy(self, text: str) -> None:
        (self.config / "policy.yaml").write_text(textwrap.dedent(text))

    def use_exchange(
        self, emulator: ExchangeEmulator, exchange_id: str, settings: dict | None = None, **options
    ) -> None:
        """app.yaml (BASE_APP) with `exchange:` pointing at the emulator (`settings`: more keys
        of `exchange:`). ccxt's exception classes cannot be written to YAML, so binance runs
        on its generic error table."""
        config = ccxt_config_for(exchange_id, emulator.base_url, with_exceptions=False, **options)
        exchange = json.dumps({"id": exchange_id, "config": config, **(settings or {})})
        self.write_app(f"{BASE_APP}exchange: {exchange}\n")

    def write_state(self, document: dict | str) -> None:
        text = document if isinstance(document, str) else json.dumps(document)
        self.state_file.write_text(text)

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """`python main.py ARGS` in this workspace, as an operator or cron would run it."""
        return subprocess.run(
            [sys.executable, str(MAIN), *args],
            cwd=self.root,
            env=_environment(env),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def spawn(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """`python main.py ARGS` in the background (the daemon); its log goes to daemon.log."""
        log = (self.root / "daemon.log").open("ab")
        return subprocess.Popen(
            [sys.executable, str(MAIN), *args],
            cwd=self.root,
            env=_environment(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, process: subprocess.Popen) -> int:
        """SIGTERM; a daemon still running 20 s later is aborted, so its log (in the error)
        shows every thread's stack."""
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=10)
            raise AssertionError(f"no exit 20 s after SIGTERM:\n{self.daemon_log}") from None

    @property
    def daemon_log(self) -> str:
        path = self.root / "daemon.log"
        return path.read_text() if path.exists() else ""


def _environment(extra: dict[str, str] | None) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != "ALERT_MATRIX_CONFIG"}
    environment["PYTHONFAULTHANDLER"] = "1"  # a hung child dumps its threads on SIGABRT
    environment.update(extra or {})
    return environment


def wait_healthy(port: int, timeout: float = 20) -> dict:
    """The daemon's /healthz document, once it answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            if answer.status_code == 200:
                return answer.json()
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("the daemon never became healthy")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


PG_ENV = "ALERT_MATRIX_TEST_PG_URL"


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database for one test (needs $ALERT_MATRIX_TEST_PG_URL,
    which .ci/run sets after starting the server); dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (make test under .ci/run starts PostgreSQL)")
    with scratch_database(base) as url:
        yield url


@contextmanager
def scratch_database(base: str, prefix: str = "am_test") -> Iterator[str]:
    """The URL of a new database on the server of `base`, dropped on leaving."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session; tests get copies (Alembic runs once)."""
    path = tmp_path_factory.mktemp("template") / "alert_matrix.db"
    template = Database(f"sqlite:///{path}")
    ensure_schema(template)
    template.close()
    return path


@pytest.fixture
def database(tmp_path: Path, _migrated_template: Path):
    """A real, migrated SQLite database at `tmp_path/data/alert_matrix.db`."""
    path = tmp_path / "data" / "alert_matrix.db"
    path.parent.mkdir(exist_ok=True)
    shutil.copyfile(_migrated_template, path)
    opened = Database(f"sqlite:///{path}")
    yield opened
    opened.close()


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
