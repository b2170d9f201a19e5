"""A runner watching one ccxt exchange id on the emulator, cycle by cycle, at chosen times."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from checks.base import Check
from checks.registry import CHECKS
from config.loader import Settings
from config.models import AppConfig
from core.results import CheckResult
from emulator import ExchangeEmulator, ccxt_config_for
from jobs.cycle import evaluate
from jobs.runtime import Runtime
from jobs.settings import SCHEMA
from jobs.settings import policy as policy_from_document
from store.models import EquitySnapshot, ErrorEvent

EXCHANGE_CHECKS = tuple(
    CHECKS[name] for name in ("daily_loss", "weekly_loss", "drawdown", "reconcile", "universe")
)
# What the emulator's default state holds: the bot agrees with it.
SPOT_POSITIONS = {"BTC-USDT": 0.6, "ETH-USDT": 4.0, "SOL-USD": 30.0}
PERP_POSITIONS = {"BTC/USDT:USDT": 0.05, "ETH/USDT:USDT": -1.5}


class Watch:
    def __init__(
        self,
        tmp_path: Path,
        emulator: ExchangeEmulator,
        exchange_id: str,
        *,
        ttl: int = 3600,
        timeout_ms: int = 5000,
        positions: dict[str, float] | None = None,
        policy: dict[str, Any] | None = None,
        ccxt: dict[str, Any] | None = None,
        **exchange: Any,
    ) -> None:
        self.state_file = tmp_path / "state.json"
        if positions is None:
            positions = PERP_POSITIONS if exchange_id == "binanceusdm" else SPOT_POSITIONS
        self.write_positions(positions)
        config = ccxt_config_for(exchange_id, emulator.base_url, timeout_ms=timeout_ms)
        config.update(ccxt or {})  # e.g. a password, or a secret of another form
        app = AppConfig.model_validate(
            {
                "account": "acct",
                "database_url": f"sqlite:///{tmp_path / 'alerts.db'}",
                "paths": {"state_file": str(self.state_file)},
                "exchange": {
                    "id": exchange_id,
                    "config": config,
                    "markets_ttl_seconds": ttl,
                    "reuse_seconds": 0,  # each cycle() asks anew unless a test says otherwise
                    **exchange,
                },
            }
        )
        settings = Settings(tmp_path, app, policy_from_document(policy), SCHEMA, frozenset())
        self.runtime = Runtime(settings)

    def write_positions(self, positions: dict[str, float]) -> None:
        document = {symbol: {"quantity": qty} for symbol, qty in positions.items()}
        self.state_file.write_text(json.dumps({"positions": document}))

    def cycle(
        self,
        at: datetime | None = None,
        *,
        dry_run: bool = False,
        checks: Iterable[Check] = EXCHANGE_CHECKS,
    ) -> dict[str, CheckResult]:
        """One evaluation cycle (jobs.cycle.evaluate), at time `at`."""
        report = evaluate(self.runtime, tuple(checks), dry_run, at)
        return {result.name: result for result in report.results}

    def events(self) -> list[ErrorEvent]:
        with self.runtime.database.read() as session:
            return list(session.scalars(select(ErrorEvent).order_by(ErrorEvent.id)))

    def snapshots(self) -> list[tuple[datetime, float]]:
        with self.runtime.database.read() as session:
            rows = session.execute(select(EquitySnapshot.ts, EquitySnapshot.equity))
            return [(row.ts, row.equity) for row in rows]


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment on 27 November 2026 (UTC), for cycles whose time matters."""
    return datetime(2026, 11, 27, hour, minute, second, tzinfo=UTC)
