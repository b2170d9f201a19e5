"""``python -m emulator --port 8899 [--exchange binance]``: serve until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from typing import Any

from .ccxt_config import ccxt_config_for
from .server import ExchangeEmulator
from .venues import SUPPORTED_EXCHANGES


def printable(config: dict[str, Any]) -> dict[str, Any]:
    """The config minus the (long, class-valued) exception table, for humans."""
    shown = dict(config)
    if "exceptions" in shown:
        count = sum(len(table) for table in shown["exceptions"].values())
        shown["exceptions"] = f"<{count} entries: use emulator.ccxt_config_for() in Python>"
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8899, help="0 picks a free port")
    parser.add_argument(
        "--exchange",
        choices=SUPPORTED_EXCHANGES,
        action="append",
        help="print the ccxt config for this id (repeatable; default all)",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with ExchangeEmulator(host=args.host, port=args.port) as emu:
        print(f"exchange emulator listening on {emu.base_url}", flush=True)
        print(f"control API: {emu.base_url}/_emulator/health", flush=True)
        for exchange_id in args.exchange or SUPPORTED_EXCHANGES:
            config = ccxt_config_for(exchange_id, emu.base_url)
            print(f"\nccxt.{exchange_id}(config) with config =", flush=True)
            print(json.dumps(printable(config), indent=2), flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
