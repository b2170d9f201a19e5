"""`make run`: the offline demo starts the daemon on its bundled configuration (real ccxt
against the emulator), and Ctrl-C stops everything cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
import requests

from demo.__main__ import write_config
from jobs.settings import load_settings
from tests.conftest import ROOT, free_port, wait_healthy

pytestmark = pytest.mark.slow


def test_the_demo_configuration_is_valid(tmp_path):
    folder = write_config(tmp_path / "config", "http://127.0.0.1:9")
    settings = load_settings(folder, environ={"DEMO_DATA": str(tmp_path)})
    assert settings.app.exchange.id == "coinbase"
    assert str(settings.app.paths.state_file) == f"{tmp_path}/state.json"
    assert settings.policy.document.monitoring.heartbeat_max_age_seconds == 20


def test_the_demo_runs_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "demo", "--data", str(tmp_path / "data")],
        cwd=ROOT,
        env={**os.environ, "DEMO_SERVER_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = wait_healthy(port)
        assert set(health["jobs"]) >= {"kill_switch", "reconcile", "delivery", "ingest"}
        page = requests.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and 'data-key="demo:kill_switch"' in page.text
    finally:
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=30)
    assert demo.returncode == 0, output
    assert "alert-matrix daemon stopped" in output
    assert f"status page at http://127.0.0.1:{port}/" in output
    assert "Traceback" not in output
