"""`python -m demo`: the offline demo that `make run` starts.

It starts the local exchange emulator (coinbase, through the real ccxt client), writes the
demo configuration with the emulator's address, starts the demo bot, and runs the real
daemon (`main.py run`) as a child process. Alerts appear in this terminal (the console
channel) and on the status page, whose address it prints. Ctrl-C stops the daemon
cleanly (it finishes its running jobs), then the rest.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

import yaml

from config.redact import WEB_TOKEN_ENV
from demo.bot import DemoBot
from emulator.ccxt_config import ccxt_config_for
from emulator.server import ExchangeEmulator

HERE = Path(__file__).resolve().parent
MAIN = HERE.parent / "main.py"
EXCHANGE_ID = "coinbase"

log = logging.getLogger("demo")


def write_config(folder: Path, exchange_url: str) -> Path:
    """demo/config/*.yaml, plus the `exchange:` block that points ccxt at the emulator."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "config" / "policy.yaml", folder / "policy.yaml")
    config = ccxt_config_for(EXCHANGE_ID, exchange_url, timeout_ms=3000, with_exceptions=False)
    # Markets every 10 s (default 1 h), so the demo's market halt shows up at once.
    settings = {"id": EXCHANGE_ID, "config": config, "markets_ttl_seconds": 10}
    exchange = yaml.safe_dump({"exchange": settings})
    app = (HERE / "config" / "app.yaml").read_text() + "\n" + exchange
    (folder / "app.yaml").write_text(app)
    return folder


def page_address() -> str:
    """Where the daemon serves the status page (`server:` in demo/config/app.yaml)."""
    return f"http://127.0.0.1:{os.environ.get('DEMO_SERVER_PORT', '9464')}/"


def page_access() -> str:
    if os.environ.get(WEB_TOKEN_ENV):
        return f"sign in with your name and ${WEB_TOKEN_ENV} to ack and silence"
    return f"read-only; run with {WEB_TOKEN_ENV}=... set to ack and silence from it"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(HERE / "data"), help="the demo's data folder")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    data = Path(args.data).resolve()
    shutil.rmtree(data, ignore_errors=True)  # each demo starts from a clean slate
    data.mkdir(parents=True)
    with ExchangeEmulator() as exchange:
        config = write_config(data / "config", exchange.base_url)
        bot = DemoBot(data, exchange.state, exchange.state.snapshot())
        bot.start()
        log.warning(
            "demo: exchange emulator at %s, data in %s; Ctrl-C stops", exchange.base_url, data
        )
        log.warning("demo: status page at %s (%s)", page_address(), page_access())
        daemon = subprocess.Popen(
            [sys.executable, str(MAIN), "run", "--config", str(config)],
            env={**os.environ, "DEMO_DATA": str(data)},
        )

        def stop(signum: int, _frame: FrameType | None) -> None:
            # The terminal's Ctrl-C reaches the daemon too; a plain SIGTERM needs passing on.
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        code = daemon.wait()
        bot.stop()
    log.warning("demo: stopped (daemon exit code %d)", code)
    return code


if __name__ == "__main__":
    sys.exit(main())
