"""Shared fixtures: a throw-away configuration folder and a way to run the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

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
