"""The deployment files say what the README promises (a unit file has no other test here)."""

from __future__ import annotations

import configparser

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / "alert-matrix.service")
    return parser


def test_systemd_unit_is_a_watched_hardened_notify_service():
    service = _unit()["Service"]
    assert service["Type"] == "notify"
    assert service["ExecStart"].endswith("alert-matrix run")
    assert service["Restart"] == "on-failure"
    assert int(service["WatchdogSec"]) >= 30
    # longer than the slowest check plus one delivery pass (budget 30 s by default)
    assert int(service["TimeoutStopSec"]) >= 90
    assert service["KillSignal"] == "SIGTERM"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"].endswith("/data")
    assert service["EnvironmentFile"].endswith("secrets.env")


def test_cron_line_runs_check_all_every_minute_without_overlap():
    line = next(
        row for row in (DEPLOY / "alert-matrix.cron").read_text().splitlines() if row[:1] == "*"
    )
    assert line.startswith("* * * * * ")
    assert "flock -n" in line and line.split(">>")[0].rstrip().endswith("check all")
