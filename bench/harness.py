"""What the daemon benchmarks share: a throw-away folder with app.yaml, the bot's state file
and the daemon itself, on 127.0.0.1 only (a local receiver, the local exchange emulator)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import free_port, wait_healthy  # noqa: E402

POSITIONS = {"BTC-USDT": {"quantity": 0.6}, "ETH-USDT": {"quantity": 4.0}}


def write_config(folder: Path, port: int, **app: Any) -> Path:
    """config/app.yaml in `folder` (its database, paths and server port), plus `app` keys;
    the bot's state file beside it. Returns the config folder."""
    config = folder / "config"
    config.mkdir(exist_ok=True)
    document: dict[str, Any] = {
        "database_url": f"sqlite:///{folder}/alert_matrix.db",
        "paths": {
            "kill_switch_file": str(folder / "KILL_SWITCH"),
            "state_file": str(folder / "state.json"),
            "error_log_file": str(folder / "errors.jsonl"),
        },
        "server": {"port": port},
        "logging": {"level": "WARNING"},
        **app,
    }
    (config / "app.yaml").write_text(json.dumps(document))
    (folder / "state.json").write_text(json.dumps({"positions": POSITIONS}))
    return config


def exchange_settings(base_url: str) -> dict[str, Any]:
    """`exchange:` pointing at the local emulator's binance."""
    from emulator.ccxt_config import ccxt_config_for

    return {"id": "binance", "config": ccxt_config_for("binance", base_url, with_exceptions=False)}


def webhook(name: str, url: str, timeout: float) -> dict[str, Any]:
    return {"name": name, "type": "webhook", "url": url, "timeout_seconds": timeout}


def start_daemon(config: Path, port: int, log: Path | None = None) -> subprocess.Popen:
    """`main.py run`, returned once /healthz answers (its stderr to `log`, else dropped)."""
    stderr = log.open("ab") if log is not None else subprocess.DEVNULL
    daemon = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "run", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        wait_healthy(port, timeout=60)
    except AssertionError:
        daemon.kill()
        raise
    return daemon


def flip(switch: Path) -> None:
    """The bot flips its kill switch: create the file, or remove it."""
    if switch.exists():
        switch.unlink()
    else:
        switch.write_text("bench")


def flip_every(switch: Path, seconds: float, stop: threading.Event) -> None:
    """`flip` every `seconds` until `stop` is set (a thread's target)."""
    while not stop.wait(seconds):
        flip(switch)


def scrape_every(port: int, seconds: float, stop: threading.Event) -> None:
    """What watches a deployed daemon: Prometheus on /metrics, a load balancer or monitor on
    /healthz, an operator's open status page; each every `seconds` until `stop` is set."""
    import requests

    while not stop.wait(seconds):
        for path in ("/metrics", "/healthz", "/"):
            # a busy or stopping daemon: the next round asks again
            with contextlib.suppress(requests.RequestException):
                requests.get(f"http://127.0.0.1:{port}{path}", timeout=10)


def rss_mib(pid: int) -> float:
    return _status(pid)["VmRSS"] / 1024


def memory_parts(pid: int) -> str:
    """Where the resident memory is: the heap (anonymous), mapped files, and the threads."""
    status = _status(pid)
    return (
        f"anon {status['RssAnon'] / 1024:7.1f} MiB  files {status['RssFile'] / 1024:6.1f} MiB"
        f"  threads {status['Threads']}"
    )


def _status(pid: int) -> dict[str, int]:
    """The numeric fields of /proc/PID/status (memory in KiB)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if value.split() and value.split()[0].isdigit():
            fields[name] = int(value.split()[0])
    return fields


__all__ = ["ROOT", "free_port", "wait_healthy"]
