"""A fleet of bots on one exchange emulator, for the fleet tests and benchmarks: each bot
has its own API key (its own emulated wallet), state file and kill-switch file, and app.yaml
lists them all under `accounts:`."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from emulator import ExchangeEmulator, ccxt_config_for


@dataclass(frozen=True)
class Bot:
    name: str
    folder: Path
    btc: float  # what its exchange wallet holds, and its state file says it holds

    @property
    def api_key(self) -> str:
        return f"key-{self.name}"

    @property
    def state_file(self) -> Path:
        return self.folder / "state.json"

    @property
    def kill_switch(self) -> Path:
        return self.folder / "KILL_SWITCH"

    def write_state(self, btc: float | None = None) -> None:
        """The bot's state file, fresh, holding `btc` (default: what the exchange holds)."""
        document = {
            "updated_at": datetime.now(UTC).isoformat(),
            "positions": {"BTC-USDT": {"quantity": self.btc if btc is None else btc}},
        }
        self.state_file.write_text(json.dumps(document))

    def account(self, emulator: ExchangeEmulator) -> dict[str, Any]:
        """Its entry of `accounts:`: binance spot on the emulator with its own key."""
        config = ccxt_config_for(
            "binance", emulator.base_url, api_key=self.api_key, with_exceptions=False
        )
        return {
            "name": self.name,
            "paths": {
                "state_file": str(self.state_file),
                "kill_switch_file": str(self.kill_switch),
                "error_log_file": str(self.folder / "errors.jsonl"),
            },
            "exchange": {"id": "binance", "config": config},
        }


def make_fleet(root: Path, emulator: ExchangeEmulator, count: int) -> list[Bot]:
    """`count` bots under `root`, each with its state file written and its wallet (BTC and
    USDT, different for each) set on the emulator in one change."""
    bots = []
    for index in range(count):
        bot = Bot(f"bot-{index:03d}", root / f"bot-{index:03d}", round(0.01 * (index + 1), 8))
        bot.folder.mkdir(parents=True, exist_ok=True)
        bot.write_state()
        bots.append(bot)
    emulator.state.patch(
        {
            "accounts": {
                bot.api_key: {"balances": {"BTC": {"free": bot.btc}, "USDT": {"free": 1_000.0 + i}}}
                for i, bot in enumerate(bots)
            }
        }
    )
    return bots


def write_fleet_app(
    config: Path, bots: list[Bot], emulator: ExchangeEmulator, **settings: Any
) -> None:
    """config/app.yaml listing every bot, plus `settings` (database_url, channels...). The
    emulator's URLs are written once and aliased (a 500-bot fleet stays far below the
    1 MiB a configuration file may hold)."""
    accounts = [bot.account(emulator) for bot in bots]
    for account in accounts[1:]:  # one object: the YAML holds the URLs once, as an anchor
        account["exchange"]["config"]["urls"] = accounts[0]["exchange"]["config"]["urls"]
    document = {**settings, "accounts": accounts}
    (config / "app.yaml").write_text(yaml.safe_dump(document, sort_keys=False))


def spawn_daemon(config: Path, log: Path) -> subprocess.Popen:
    """`main.py run` on `config`, its output appended to `log`."""
    from tests.conftest import MAIN

    return subprocess.Popen(
        [sys.executable, str(MAIN), "run", "--config", str(config)],
        cwd=config.parent,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
