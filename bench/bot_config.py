"""One bot on the emulated exchange, for the benchmarks: its state file and an app.yaml."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from emulator import ExchangeEmulator, ccxt_config_for

POSITIONS = {"BTC-USDT": 0.6, "ETH-USDT": 4.0, "SOL-USDT": 30.0}


def write_bot(
    root: Path,
    emu: ExchangeEmulator,
    exchange_id: str,
    positions: Mapping[str, float] = POSITIONS,
    **exchange: Any,
) -> Path:
    """`root/state.json` and `root/config/app.yaml` (SQLite under `root`; more `exchange:`
    keys as keyword arguments); returns the configuration folder."""
    (root / "config").mkdir()
    state = {"positions": {s: {"quantity": q} for s, q in positions.items()}}
    (root / "state.json").write_text(json.dumps(state))
    config = ccxt_config_for(exchange_id, emu.base_url, with_exceptions=False)
    app = {
        "database_url": f"sqlite:///{root / 'alerts.db'}",
        "paths": {"state_file": str(root / "state.json")},
        "exchange": {"id": exchange_id, "config": config, **exchange},
    }
    (root / "config" / "app.yaml").write_text(json.dumps(app))
    return root / "config"
