"""Exchange HTTP requests per `check all` cycle, counted by the emulator (goal: <= 2 warm).

A cold cycle loads the markets; a warm one finds them cached (`exchange.markets_ttl_seconds`),
as in the daemon. A cron run (`python main.py check all`) is a new process, so always cold.
Runs every check of the registry through `jobs.cycle.run_cycle`, the production path. The
last column is the daemon's way: every check in its own cycle, one after the other, sharing
answers younger than `exchange.reuse_seconds` (5 s).

    .venv/bin/python bench/exchange_requests.py
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot_config import write_bot

from checks.registry import CHECKS
from emulator import ExchangeEmulator
from jobs.cycle import run_cycle
from jobs.runtime import Runtime
from jobs.settings import load_settings

WARM_CYCLES = 5


def measure(
    emu: ExchangeEmulator, exchange_id: str, recommended: bool, reuse: float = 0
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        # reuse 0: each warm cycle asks anew, as cycles 30 s apart do
        write_bot(root, emu, exchange_id, recommended_options=recommended, reuse_seconds=reuse)
        runtime = Runtime(load_settings(root / "config", environ={}))
        checks = list(CHECKS.values())
        try:
            emu.reset()
            run_cycle(runtime, checks)
            cold = emu.requests_total()
            emu.reset_counts()
            started = time.perf_counter()
            for _ in range(WARM_CYCLES):
                run_cycle(runtime, checks)
            elapsed = (time.perf_counter() - started) / WARM_CYCLES
            warm = emu.requests_total() / WARM_CYCLES
            paths = sorted(key.split(" ", 2)[2] for key in emu.request_counts())
            time.sleep(reuse)  # the next round of the daemon's jobs: the shared answers expired
            emu.reset_counts()
            for check in checks:  # the daemon: one job per check, about the same time
                run_cycle(runtime, [check])
            jobs = emu.requests_total()
        finally:
            runtime.close()
    return {"cold": cold, "warm": warm, "ms": elapsed * 1000, "paths": paths, "jobs": jobs}


def main() -> None:
    logging.disable(logging.INFO)  # the migrations' progress lines
    rows = []
    with ExchangeEmulator() as emu:
        for exchange_id in ("binance", "coinbase"):
            for recommended in (True, False):
                figures = measure(emu, exchange_id, recommended)
                figures["jobs"] = measure(emu, exchange_id, recommended, reuse=5)["jobs"]
                rows.append((exchange_id, recommended, figures))
    print(
        "| exchange | recommended_options | cold cycle | warm cycle | warm cycle time "
        "| daemon: 10 jobs, warm |"
    )
    print("|---|---|---|---|---|---|")
    for exchange_id, recommended, figures in rows:
        print(
            f"| {exchange_id} | {str(recommended).lower()} | {figures['cold']} requests | "
            f"{figures['warm']:g} requests | {figures['ms']:.0f} ms | {figures['jobs']} requests |"
        )
    print()
    for exchange_id, recommended, figures in rows:
        if recommended:
            print(f"{exchange_id} warm cycle: {', '.join(figures['paths'])}")


if __name__ == "__main__":
    main()
