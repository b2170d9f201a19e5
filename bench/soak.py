"""Memory over a long run: the daemon with every check scheduled against the local exchange
emulator (every 5 s, kill_switch every 1 s), the kill switch flipped every minute so alerts
fire, resolve and are delivered; RSS reported every `--every` minutes (goal: growth below
1 MiB per hour after the first 10 minutes). `--scrape 15` also reads /metrics, /healthz and
the status page every 15 s, as Prometheus and an operator would.

`--tracemalloc` runs the daemon inside this process instead and prints, at each report, the
source lines whose allocations grew most since the first report: how a Python leak is found.
`--native` runs it inside this process too and prints where the native heap goes: SQLite's
own allocations, malloc's bytes in use and held free, and Python's allocated blocks.

    .venv/bin/python bench/soak.py --minutes 60
    .venv/bin/python bench/soak.py --minutes 20 --every 5 --tracemalloc
    .venv/bin/python bench/soak.py --minutes 30 --every 2 --native
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from harness import (
    exchange_settings,
    flip_every,
    free_port,
    memory_parts,
    rss_mib,
    scrape_every,
    start_daemon,
    write_config,
)

_FLIP_SECONDS = 60.0
_TOP_LINES = 12


def _emulator(port: int) -> subprocess.Popen:
    """The exchange emulator in its own process: its memory is not the daemon's."""
    return subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port)],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _reports(minutes: float, every: float, report: Callable[[float], None]) -> None:
    """`report(elapsed_minutes)` at 1 minute, then every `every` minutes, to the end."""
    started = time.monotonic()
    marks = sorted({1.0, *(every * n for n in range(1, int(minutes / every) + 1))})
    for mark in (m for m in marks if m <= minutes):
        time.sleep(max(0.0, started + mark * 60 - time.monotonic()))
        report(mark)


def soak(minutes: float, every: float, mode: str, scrape: float | None) -> None:
    exchange_port, server_port = free_port(), free_port()
    emulator = _emulator(exchange_port)
    stop = threading.Event()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = write_config(
            folder,
            server_port,
            exchange=exchange_settings(f"http://127.0.0.1:{exchange_port}"),
            schedule={"default": 5, "kill_switch": 1},
        )
        flipper = threading.Thread(
            target=flip_every, args=(folder / "KILL_SWITCH", _FLIP_SECONDS, stop), daemon=True
        )
        flipper.start()
        if scrape:
            threading.Thread(
                target=scrape_every, args=(server_port, scrape, stop), daemon=True
            ).start()
        try:
            time.sleep(1.0)  # the emulator binds its port
            if mode == "subprocess":
                _soak_subprocess(config, server_port, minutes, every)
            else:
                reporter = _tracemalloc_reporter() if mode == "tracemalloc" else _native_reporter()
                _soak_in_process(config, minutes, every, folder / "daemon.log", reporter)
        finally:
            stop.set()
            emulator.terminate()
            emulator.wait(timeout=30)


def _soak_subprocess(config: Path, port: int, minutes: float, every: float) -> None:
    daemon = start_daemon(config, port)
    series: list[tuple[float, float]] = []

    def report(mark: float) -> None:
        series.append((mark, rss_mib(daemon.pid)))
        parts = memory_parts(daemon.pid)
        print(f"{mark:5.0f} min  RSS {series[-1][1]:7.1f} MiB  {parts}", flush=True)

    try:
        _reports(minutes, every, report)
    finally:
        daemon.terminate()
        daemon.wait(timeout=120)
    after_ten = [(m, r) for m, r in series if m >= 10]
    if len(after_ten) >= 2:
        (m0, r0), (m1, r1) = after_ten[0], after_ten[-1]
        print(f"growth after 10 min: {(r1 - r0) / (m1 - m0) * 60:+.2f} MiB/hour")


def _soak_in_process(
    config: Path, minutes: float, every: float, log: Path, report: Callable[[float], None]
) -> None:
    """The daemon on this main thread (it installs signal handlers); a sampler thread
    calls `report(minute)`, then stops the daemon with SIGTERM."""
    from cli.app import main

    def sample() -> None:
        _reports(minutes, every, lambda mark: (report(mark), sys.stdout.flush()))
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=sample, daemon=True).start()
    with log.open("w") as stderr:
        sys.stderr = stderr
        try:
            main(["run", "--config", str(config)])
        finally:
            sys.stderr = sys.__stderr__


def _tracemalloc_reporter() -> Callable[[float], None]:
    """Each report: the traced Python heap, and the project lines whose allocations grew
    most since the previous report."""
    tracemalloc.start(_FRAMES)
    previous: list[tracemalloc.Snapshot] = []

    def report(mark: float) -> None:
        snapshot = tracemalloc.take_snapshot().filter_traces(_NOT_OURS)
        traced = tracemalloc.get_traced_memory()[0] / 2**20
        print(f"{mark:5.0f} min  RSS {rss_mib(os.getpid()):7.1f} MiB  traced {traced:6.1f} MiB")
        if previous:
            for where, grown in _growth_by_project_line(snapshot, previous[-1])[:_TOP_LINES]:
                print(f"  {grown / 1024:+9.1f} KiB  {where}")
        previous[:] = [snapshot]

    return report


def _native_reporter() -> Callable[[float], None]:
    """Each report: RSS split by owner, SQLite's own heap (all connections), malloc's heap
    (bytes in use and the free bytes it keeps), Python's object allocator and the threads;
    then the object types that grew most since the previous report."""
    sqlite = ctypes.CDLL("libsqlite3.so.0")
    sqlite.sqlite3_memory_used.restype = ctypes.c_int64
    previous: Counter[str] = Counter()

    def report(mark: float) -> None:
        info = _mallinfo2()
        python = _pymalloc()
        print(
            f"{mark:5.0f} min  RSS {rss_mib(os.getpid()):7.1f} MiB  "
            f"sqlite {sqlite.sqlite3_memory_used() / 2**20:5.2f}  "
            f"malloc heap {info.arena / 2**20:5.1f} (in use {info.uordblks / 2**20:5.1f}, free "
            f"{info.fordblks / 2**20:4.1f}) mmapped {info.hblkhd / 2**20:4.1f}  "
            f"pymalloc arenas {python['arenas allocated current']}, in blocks "
            f"{python['bytes in allocated blocks'] / 2**20:5.1f}, free blocks "
            f"{python['bytes in available blocks'] / 2**20:4.1f}  {memory_parts(os.getpid())}"
        )
        counts = Counter(type(o).__qualname__ for o in gc.get_objects())
        if previous:
            grown = (counts - previous).most_common(_TOP_LINES)
            listed = ", ".join(f"{name} +{count}" for name, count in grown)
            print(f"  objects grown since the last report: {listed}")
        previous.clear()
        previous.update(counts)

    return report


def _pymalloc() -> dict[str, int]:
    """The `# name = number` lines `sys._debugmallocstats()` writes to file descriptor 2."""
    with tempfile.TemporaryFile("w+") as capture:
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        lines = capture.read().splitlines()
    stats = {}
    for line in lines:
        name, equals, number = line.removeprefix("# ").partition("=")
        if line.startswith("# ") and equals and number.strip().replace(",", "").isdigit():
            stats[name.strip()] = int(number.strip().replace(",", ""))
    return stats


class _Mallinfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def _mallinfo2() -> _Mallinfo2:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _Mallinfo2
    return libc.mallinfo2()


# The soak's own bookkeeping is not the daemon's memory.
_NOT_OURS = [tracemalloc.Filter(False, tracemalloc.__file__)]
_FRAMES = 12


def _growth_by_project_line(
    now: tracemalloc.Snapshot, before: tracemalloc.Snapshot
) -> list[tuple[str, int]]:
    """Growth since `before`, summed by the innermost line of this project that led to each
    allocation (a leak is usually spread over many library lines called from one of ours)."""
    totals: dict[str, int] = {}
    for stat in now.compare_to(before, "traceback"):
        ours = [f for f in stat.traceback if _PROJECT in f.filename and "/.venv/" not in f.filename]
        frame = ours[-1] if ours else stat.traceback[0]  # else the oldest frame recorded
        where = f"{frame.filename.removeprefix(_PROJECT)}:{frame.lineno}"
        totals[where] = totals.get(where, 0) + stat.size_diff
    return sorted(totals.items(), key=lambda item: -item[1])


_PROJECT = str(Path(__file__).resolve().parents[1]) + "/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--every", type=float, default=10, help="minutes between reports")
    parser.add_argument("--scrape", type=float, help="seconds between reads of the endpoints")
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--tracemalloc", action="store_true", help="in-process, with snapshots")
    modes.add_argument("--native", action="store_true", help="in-process, native heap owners")
    args = parser.parse_args()
    mode = "tracemalloc" if args.tracemalloc else "native" if args.native else "subprocess"
    soak(args.minutes, args.every, mode, args.scrape)


if __name__ == "__main__":
    main()
