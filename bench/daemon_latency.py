"""Detection latency of the daemon, and its memory after a soak.

Latency: the kill-switch file appears -> the webhook receiver has the FIRING notification,
with `kill_switch` scheduled every second, over N trials (the file is removed and the
RESOLVED awaited between trials). Memory: the daemon's RSS after running every check for
`--soak-seconds` (default 600) against the local exchange emulator.

    .venv/bin/python bench/daemon_latency.py --trials 40 --soak-seconds 600
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator.receiver import WebhookReceiver  # noqa: E402
from tests.conftest import free_port  # noqa: E402


def _config(folder: Path, receiver: WebhookReceiver, port: int, extra: str) -> Path:
    config = folder / "config"
    config.mkdir()
    (config / "app.yaml").write_text(
        f"""
database_url: sqlite:///{folder}/alert_matrix.db
paths: {{kill_switch_file: {folder}/KILL_SWITCH, state_file: {folder}/state.json,
        error_log_file: {folder}/errors.jsonl}}
schedule: {{default: 5, kill_switch: 1, delivery: 2}}
server: {{port: {port}}}
logging: {{level: WARNING}}
channels:
  - {{name: hooks, type: webhook, url: "{receiver.url("/hook")}", timeout_seconds: 2}}
{extra}
"""
    )
    (folder / "state.json").write_text('{"positions": {}}')
    return config


def _wait_ready(port: int) -> None:
    import requests

    for _ in range(200):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit("the daemon did not become healthy")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency(trials: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp, WebhookReceiver() as receiver:
        folder, port = Path(tmp), free_port()
        config = _config(folder, receiver, port, "")
        daemon = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "run", "--config", str(config)],
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_ready(port)
            switch, seen, results = folder / "KILL_SWITCH", 0, []
            for _ in range(trials):
                time.sleep(0.37)  # land anywhere in the 1 s schedule
                started = time.monotonic()
                switch.write_text("bench")
                seen += 1
                if not receiver.wait_for(seen, timeout=10, path="/hook"):
                    raise SystemExit("no FIRING notification within 10 s")
                results.append(receiver.requests[-1].at - started)
                switch.unlink()
                seen += 1
                if not receiver.wait_for(seen, timeout=10, path="/hook"):
                    raise SystemExit("no RESOLVED notification within 10 s")
            return results
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)


def soak_rss(seconds: float) -> tuple[float, float]:
    """RSS (MiB) a minute in and at the end of a soak with every check scheduled."""
    import yaml

    from emulator.ccxt_config import ccxt_config_for
    from emulator.server import ExchangeEmulator

    with (
        tempfile.TemporaryDirectory() as tmp,
        WebhookReceiver() as receiver,
        ExchangeEmulator() as exchange,
    ):
        settings = {"id": "binance", "config": ccxt_config_for("binance", exchange.base_url)}
        ccxt = yaml.safe_dump({"exchange": settings}, default_flow_style=True)
        folder, port = Path(tmp), free_port()
        config = _config(folder, receiver, port, ccxt)
        daemon = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "run", "--config", str(config)],
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_ready(port)
            time.sleep(min(60, seconds))
            early = _rss_mib(daemon.pid)
            time.sleep(max(0.0, seconds - 60))
            return early, _rss_mib(daemon.pid)
        finally:
            daemon.terminate()
            daemon.wait(timeout=60)


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--soak-seconds", type=float, default=600, help="0 skips the soak")
    args = parser.parse_args()
    results = latency(args.trials)
    print(
        f"detection latency, kill_switch every 1 s, {len(results)} trials: "
        f"p50 {statistics.median(results):.3f} s, p95 {_percentile(results, 0.95):.3f} s, "
        f"max {max(results):.3f} s"
    )
    if args.soak_seconds:
        early, late = soak_rss(args.soak_seconds)
        print(
            f"daemon RSS: {early:.1f} MiB after 1 min, {late:.1f} MiB after "
            f"{args.soak_seconds / 60:.0f} min (every check scheduled, binance emulator)"
        )


if __name__ == "__main__":
    main()
