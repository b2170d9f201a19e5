"""Transfers are not trading results: deposits and withdrawals move the equity baselines.

An owner who withdraws 20 % of the account has not lost 20 %: each baseline (start of day,
start of week, peak) is moved by the transfers made after it was taken, so a change is
measured from what remained (a real loss after a withdrawal still fires), and a deposit
neither hides a drawdown nor reads as profit. The peak is the highest snapshot once each is
moved by the transfers after it.

Transfers come from the `transfers` table: recorded by the operator (`alert-matrix transfer
record`), or read from the exchange (ccxt `fetch_deposits` / `fetch_withdrawals`, with
`exchange.read_transfers`) where one call of each covers the account (`READABLE`: verified on
recorded answers; coinbase, for one, wants a call per currency). Reading them costs requests,
so the exchange is asked only when
the equity moved far enough to matter (a loss limit reached, or a day's gain as large as
the daily limit); deposits and withdrawals are valued in the equity currency at today's
prices. If they cannot be read, the checks go on with what is stored, and say so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.inputs import Baseline, Equity
from core.pricing import PriceBook
from sources.errors import SourceError
from sources.exchange.cycle import exchange_cycle

if TYPE_CHECKING:
    from sources.collect import SourceContext
    from store.equity_snapshots import SnapshotHistory
    from store.transfers import TransferRow

log = logging.getLogger(__name__)
SHOWN = 5
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COUNTED = ("ok", "pending")  # a pending withdrawal has already left the balance
READABLE = frozenset({"binance", "binanceusdm", "bybit", "kraken"})


def adjust_for_transfers(ctx: SourceContext, equity: Equity, prices: PriceBook) -> Equity:
    """`equity` with its baselines moved by the transfers made after each was taken."""
    details: dict[str, Any] = {}
    adjusted = _adjusted(ctx, equity)
    exchange = ctx.settings.app.exchange
    if exchange.read_transfers and exchange.id in READABLE and _moved(adjusted, ctx):
        try:
            unstored = _record_from_exchange(ctx, equity.currency, prices)
            adjusted = _adjusted(ctx, equity, unstored)
        except SourceError as error:
            details["transfers_unread"] = str(error)
    return replace(adjusted, details={**adjusted.details, **details})


def _adjusted(ctx: SourceContext, equity: Equity, unstored: Sequence[TransferRow] = ()) -> Equity:
    """`equity` moved by the stored transfers, and by `unstored` ones (--dry-run)."""
    from store.equity_snapshots import SnapshotHistory
    from store.transfers import transfers_after

    account, now = ctx.settings.account, ctx.now
    try:
        with ctx.database().read() as session:
            rows = transfers_after(session, account, equity.currency, EPOCH, now)
            known = {(row.source, row.ref) for row in rows}
            rows += [row for row in unstored if (row.source, row.ref) not in known]
            rows.sort(key=lambda row: row.ts)
            if not rows:
                return equity
            history = SnapshotHistory(session, account, equity.currency)
            peak = _peak(history, rows, equity, now)
    except Exception as error:  # noqa: BLE001 - unknown transfers make the equity unknown
        raise SourceError(f"transfers: database error: {type(error).__name__}") from None
    oldest = min((b.at for b in (equity.day_start, equity.week_start) if b.at), default=EPOCH)
    shown = [
        {"at": row.ts.isoformat(), "amount": round(row.amount, 2), "source": row.source}
        for row in rows
        if row.ts > oldest
    ]
    details = {**equity.details, "transfers": shown[-SHOWN:]} if shown else equity.details
    return replace(
        equity,
        day_start=_moved_by(equity.day_start, rows, equity.currency),
        week_start=_moved_by(equity.week_start, rows, equity.currency),
        peak=peak,
        details=details,
    )


def _moved_by(baseline: Baseline, rows: list[TransferRow], currency: str) -> Baseline:
    if baseline.value is None or baseline.at is None:
        return baseline
    moved = sum(row.amount for row in rows if row.ts > baseline.at)
    if not moved:
        return baseline
    source = f"{baseline.source}, moved by {moved:+,.2f} {currency} of transfers since"
    return replace(baseline, value=baseline.value + moved, source=source)


def _peak(
    history: SnapshotHistory, rows: list[TransferRow], equity: Equity, now: datetime
) -> Baseline:
    """The highest snapshot, each moved by the transfers after it: between two transfers
    every snapshot is moved by the same amount, so one query per stretch."""
    best = Baseline(equity.value, "the current equity is the highest recorded", now)
    for index in range(len(rows) + 1):
        since = rows[index - 1].ts if index else None
        before = rows[index].ts if index < len(rows) else None
        top = history.peak(since, before)
        later = sum(row.amount for row in rows[index:])
        if top is not None and top.equity + later > best.value:
            source = "highest snapshot recorded"
            if later:
                source += f", moved by {later:+,.2f} {equity.currency} of transfers since"
            best = Baseline(top.equity + later, source, top.ts)
    return best


def _moved(equity: Equity, ctx: SourceContext) -> bool:
    """Did the equity move far enough that a transfer could be the cause?"""
    # The loss limits as policy.yaml sets them (the checks own these keys; a source reads
    # the file's values, not the checks).
    risk: Any = ctx.settings.policy.document.risk  # type: ignore[attr-defined]

    def change_pct(baseline: Baseline) -> float:
        if not baseline.value:
            return 0.0
        return (equity.value - baseline.value) / baseline.value * 100

    return (
        abs(change_pct(equity.day_start)) >= risk.daily_stop_loss_pct
        or -change_pct(equity.week_start) >= risk.weekly_stop_loss_pct
        or -change_pct(equity.peak) >= risk.max_drawdown_pct
    )


def _record_from_exchange(
    ctx: SourceContext, currency: str, prices: PriceBook
) -> list[TransferRow]:
    """Record the exchange's deposits and withdrawals; under --dry-run, which records
    nothing, they are returned to be counted all the same."""
    from store.transfers import TransferRow, add_transfer

    raw = exchange_cycle(ctx).deposits_and_withdrawals()
    rows = []
    for item in raw:
        if item["status"] not in COUNTED:
            continue
        price = prices.price(item["currency"])
        if price is None:
            continue  # valued at nothing rather than guessed
        sign = 1.0 if item["type"] == "deposit" else -1.0
        ts = datetime.fromtimestamp(item["timestamp"] / 1000, UTC)
        ref = f"{item['type']}:{item['id']}"
        rows.append(TransferRow(ts, sign * item["amount"] * price.value, "exchange", ref))
    if ctx.dry_run or not rows:
        return rows
    try:
        with ctx.database().write() as session:
            for row in rows:
                add_transfer(session, ctx.settings.account, currency, row, ctx.now)
    except Exception as error:  # noqa: BLE001 - counted all the same, from memory
        log.warning("transfers not recorded: %s", type(error).__name__)
        return rows
    return []
