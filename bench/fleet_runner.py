"""What the fleet benchmarks share: a fleet of bots on the exchange emulator written to a
configuration folder, the real daemon started on it, and its CPU time and memory read from
/proc (Linux)."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator import ExchangeEmulator  # noqa: E402
from tests.fleet_world import Bot, make_fleet, spawn_daemon, write_fleet_app  # noqa: E402, F401

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def write_fleet(
    folder: Path, emulator: ExchangeEmulator, accounts: int, **settings: Any
) -> tuple[Path, list[Bot]]:
    """`accounts` healthy bots under `folder`, and config/ watching them (`settings`: more
    keys of app.yaml). A bot's state file is not rewritten during a run, so the heartbeat
    limit is an hour: a quiet fleet notifies nothing."""
    bots = make_fleet(folder / "bots", emulator, accounts)
    config = folder / "config"
    config.mkdir()
    write_fleet_app(config, bots, emulator, logging={"level": "WARNING"}, **settings)
    (config / "policy.yaml").write_text("monitoring: {heartbeat_max_age_seconds: 3600}\n")
    return config, bots


def stop_daemon(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if it has not stopped 30 s later."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def rss_mb(pid: int) -> float:
    """Resident memory, in MB."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE / 1e6


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile (inclusive method); the value itself for one sample."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[round(fraction * 100) - 1]


def table(title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    """A Markdown table, so the output can go to the README as is."""
    lines = [f"**{title}**", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
