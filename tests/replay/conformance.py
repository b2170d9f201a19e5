"""The conformance table: what alert-matrix makes of each replayed exchange, judged against
what the recorded account really holds (`profiles.PROFILES`).

A cell is ✅ when the real code path read the right thing, UNKNOWN when the check says it
cannot tell (by design, e.g. an exchange that does not report something), ❌ when it read
something wrong (a false OK or a false alarm) or could not read at all. Used by
`bench/conformance.py` and by the test that keeps the README's table current.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from checks.base import CheckResult
from config.models import ExchangeSettings
from core.status import Status
from emulator import ccxt_config_for
from emulator.replay import ReplayExchange
from sources.exchange.client import build_client
from sources.exchange.responses import parse_transactions
from sources.transfers import READABLE
from tests.exchange.harness import Watch
from tests.replay.profiles import CREDENTIALS, PROFILES, Profile

COLUMNS = (
    "markets",
    "balance",
    "tickers",
    "positions",
    "equity method",
    "reconcile",
    "universe",
    "transfers",
)
OK, UNKNOWN, WRONG = "✅", "UNKNOWN", "❌"


def row(replay: ReplayExchange, profile: Profile) -> dict[str, str]:
    """One cycle of the exchange checks on the replay, judged column by column."""
    replay.reload()
    with tempfile.TemporaryDirectory() as folder:
        watch = Watch(
            Path(folder), replay, profile.exchange_id, positions=profile.positions, ccxt=CREDENTIALS
        )
        results = watch.cycle()
        watch.runtime.close()
    loss, reconcile, universe = results["daily_loss"], results["reconcile"], results["universe"]
    equity = loss.context.get("equity")
    return {
        "exchange": profile.name,
        "markets": _judge(universe, universe.context.get("total_assets") == profile.total),
        "balance": _judge(loss, equity is not None),
        "tickers": _judge(universe, bool(universe.context.get("eligible_examples"))),
        "positions": _positions(profile, reconcile),
        "equity method": _equity(loss, profile),
        "reconcile": _judge(reconcile, reconcile.status is Status.OK),
        "universe": _judge(universe, universe.context.get("eligible_count") == profile.eligible),
        "transfers": _transfers(replay, profile),
    }


def _judge(result: CheckResult, right: bool) -> str:
    if result.status is Status.UNKNOWN:
        return f"{UNKNOWN}: {result.summary.removeprefix('cannot evaluate: ')[:60]}"
    return OK if right else WRONG


def _positions(profile: Profile, reconcile: CheckResult) -> str:
    if not profile.derivatives:
        return "n/a (spot: balances)"
    compared = reconcile.context.get("compared_count") == profile.compared
    return _judge(reconcile, compared and reconcile.status is Status.OK)


def _equity(loss: CheckResult, profile: Profile) -> str:
    method = loss.context.get("equity_method", "?")
    right = math.isclose(loss.context.get("equity") or 0.0, profile.equity, abs_tol=0.01)
    return f"{_judge(loss, right)} {method}"


def _transfers(replay: ReplayExchange, profile: Profile) -> str:
    """Deposits and withdrawals read through the real client, where alert-matrix reads them."""
    if profile.exchange_id not in READABLE:
        return f"{UNKNOWN} by design: `transfer record`"
    config = {**ccxt_config_for(profile.exchange_id, replay.base_url), **CREDENTIALS}
    client = build_client(ExchangeSettings(id=profile.exchange_id, config=config))
    try:
        parse_transactions(client.fetch_deposits_withdrawals())
    except Exception:  # noqa: BLE001 - any failure is a cell of the table
        return WRONG
    return OK


def markdown(rows: list[dict[str, str]]) -> str:
    header = ("exchange", *COLUMNS)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r[column] for column in header) + " |" for r in rows]
    return "\n".join(lines)


def table(replay: ReplayExchange) -> str:
    return markdown([row(replay, profile) for profile in PROFILES])
