"""Cron runs of `alert-matrix check all` (each a new process) against the emulator: exchange
requests of the first (cold) run and of the next (warm) runs, which take the stored markets
(`markets_cache`, within `exchange.markets_ttl_seconds`), and the CPU seconds of one run.

    .venv/bin/python bench/cron_runs.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot_config import write_bot  # noqa: E402

from emulator import ExchangeEmulator  # noqa: E402

RUNS = 4
POSITIONS = {"BTC-USDT": 0.6, "ETH-USDT": 4.0, "SOL-USD": 30.0}


def cron_runs(emu: ExchangeEmulator, exchange_id: str) -> tuple[list[int], list[float]]:
    """Requests and CPU seconds (the process and its children) of each run."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = write_bot(root, emu, exchange_id, POSITIONS)
        env = {**os.environ, "ALERT_MATRIX_CONFIG": str(config)}
        requests, cpu = [], []
        emu.reset()
        for _ in range(RUNS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [sys.executable, str(ROOT / "main.py"), "check", "all"],
                cwd=root,
                env=env,
                capture_output=True,
                check=False,
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            requests.append(emu.requests_total())
            emu.reset_counts()
    return requests, cpu


def main() -> None:
    print("| exchange | cold run | warm runs | CPU seconds per run (cold, then warm median) |")
    print("|---|---|---|---|")
    with ExchangeEmulator() as emu:
        for exchange_id in ("binance", "coinbase"):
            requests, cpu = cron_runs(emu, exchange_id)
            warm_cpu = sorted(cpu[1:])[len(cpu[1:]) // 2]
            print(
                f"| {exchange_id} | {requests[0]} requests | {', '.join(map(str, requests[1:]))} "
                f"requests | {cpu[0]:.2f} s, {warm_cpu:.2f} s |"
            )


if __name__ == "__main__":
    main()
