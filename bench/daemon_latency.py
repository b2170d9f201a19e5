"""Detection latency of the daemon, and its memory after a soak.

Latency: the kill-switch file appears -> the webhook receiver has the FIRING notification,
with `kill_switch` scheduled every second, over N trials (the file is removed and the
RESOLVED awaited between trials), with the bot's files watched (inotify) and without.
Memory: the daemon's RSS after running every check for `--soak-seconds` (default 600)
against the local exchange emulator.

    .venv/bin/python bench/daemon_latency.py --trials 40 --soak-seconds 600
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import rss_mib  # noqa: E402

from emulator.receiver import WebhookReceiver  # noqa: E402
from tests.conftest import free_port, wait_healthy  # noqa: E402


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
    return config


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency(trials: int, watch: bool) -> list[float]:
    """Every check scheduled against the emulator, as in production; kill_switch timed."""
    with _daemon(watch) as (folder, receiver, _):
        switch, results = folder / "KILL_SWITCH", []
        for trial in range(trials):
            time.sleep(0.37)  # land anywhere in the 1 s schedule
            started = time.monotonic()
            switch.write_text("bench")
            _wait_kill_switch(receiver, 2 * trial + 1)
            results.append(_kill_switch_bodies(receiver)[-1].at - started)
            switch.unlink()
            _wait_kill_switch(receiver, 2 * trial + 2)
        return results


def _kill_switch_bodies(receiver: WebhookReceiver) -> list:
    return [r for r in receiver.requests if r.body.get("alert") == "kill_switch"]


def _wait_kill_switch(receiver: WebhookReceiver, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(_kill_switch_bodies(receiver)) < count:
        if time.monotonic() > deadline:
            raise SystemExit("no kill_switch notification within 10 s")
        receiver.wait_for(len(receiver.requests) + 1, timeout=0.5)


def soak_rss(seconds: float) -> tuple[float, float]:
    """RSS (MiB) a minute in and at the end of a soak with every check scheduled."""
    with _daemon(watch=True) as (_, _, daemon):
        time.sleep(min(60, seconds))
        early = rss_mib(daemon.pid)
        time.sleep(max(0.0, seconds - 60))
        return early, rss_mib(daemon.pid)


@contextmanager
def _daemon(watch: bool) -> Iterator[tuple[Path, WebhookReceiver, subprocess.Popen]]:
    """The daemon with every check scheduled against the emulated binance, and a receiver."""
    import yaml

    from emulator.ccxt_config import ccxt_config_for
    from emulator.server import ExchangeEmulator

    with (
        tempfile.TemporaryDirectory() as tmp,
        WebhookReceiver() as receiver,
        ExchangeEmulator() as exchange,
    ):
        config = ccxt_config_for("binance", exchange.base_url, with_exceptions=False)
        settings = {"id": "binance", "config": config}
        folder, port = Path(tmp), free_port()
        extra = yaml.safe_dump({"exchange": settings, "watch_files": watch})
        app = _config(folder, receiver, port, extra)
        state = {
            "BTC-USDT": {"quantity": 0.6},
            "ETH-USDT": {"quantity": 4.0},
            "SOL-USD": {"quantity": 30.0},
        }
        (folder / "state.json").write_text(json.dumps({"positions": state}))
        daemon = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "run", "--config", str(app)],
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_healthy(port)
            yield folder, receiver, daemon
        finally:
            daemon.terminate()
            daemon.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--soak-seconds", type=float, default=600, help="0 skips the soak")
    args = parser.parse_args()
    for watch in (True, False):
        results = latency(args.trials, watch)
        print(
            f"detection latency, kill_switch every 1 s, files watched: {watch}, "
            f"{len(results)} trials: p50 {statistics.median(results):.3f} s, "
            f"p95 {_percentile(results, 0.95):.3f} s, max {max(results):.3f} s"
        )
    if args.soak_seconds:
        early, late = soak_rss(args.soak_seconds)
        print(
            f"daemon RSS: {early:.1f} MiB after 1 min, {late:.1f} MiB after "
            f"{args.soak_seconds / 60:.0f} min (every check scheduled against the emulator)"
        )


if __name__ == "__main__":
    main()
