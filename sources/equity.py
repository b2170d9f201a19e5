"""The equity input of the loss checks: equity now, and its day, week and peak baselines.

`risk.pnl_source: exchange` (default): every balance valued in `risk.equity_currency`, one
snapshot recorded per cycle (one for all cycles within `exchange.reuse_seconds`; not under
--dry-run, which evaluates from the stored snapshots plus the current value), and the
baselines taken from the snapshots:

- start of day / week: the last snapshot at or before 00:00 (week: Monday) in `timezone`, if
  it is at most `BASELINE_MAX_GAP` older than that; otherwise the first snapshot after 00:00
  (the current one when there is none yet). A runner that was down across midnight thus
  never measures "today" from the day before yesterday.
- peak: the highest snapshot ever recorded for this account and currency, the current
  value included.

`risk.pnl_source: state`: the bot's own `equity`, `day_start_equity`, `week_start_equity`
and `peak_equity`; a missing baseline field makes only the check that needs it UNKNOWN.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from config.policy import EquityPolicy
from core.inputs import Baseline, BotState, Equity, InputName, Markets
from core.periods import day_start, week_start
from core.pricing import PriceBook
from core.symbols import base_of
from sources.errors import SourceError
from sources.exchange.cycle import exchange_cycle
from sources.transfers import adjust_for_transfers
from sources.valuation import value_balances

if TYPE_CHECKING:
    from sources.collect import SourceContext
    from store.equity_snapshots import SnapshotHistory

BASELINE_MAX_GAP = timedelta(hours=1)


def load_equity(ctx: SourceContext) -> Equity:
    risk = ctx.settings.policy.of(EquityPolicy)
    if risk.pnl_source == "state":
        return equity_from_state(ctx.input(InputName.BOT_STATE), risk.equity_currency)
    cycle = exchange_cycle(ctx)
    markets, account, tickers = cycle.markets(), cycle.equity(), cycle.tickers()
    prices = PriceBook(tickers, risk.equity_currency)
    valuation = value_balances(account.amounts, prices, markets)
    if valuation.missing and _spot_lists(markets, valuation.missing):
        # A derivatives account holding a coin no contract is listed for: that coin, and only
        # it, at its spot price. The other coins keep their contract prices, so the equity does
        # not jump by the spot-perpetual basis as such a coin comes and goes.
        spot = cycle.spot_tickers().items()
        missing = {s: t for s, t in spot if base_of(s) in valuation.missing}
        prices = PriceBook({**tickers, **missing}, risk.equity_currency)
        valuation = value_balances(account.amounts, prices, markets)
    if valuation.missing:
        raise SourceError(
            f"cannot value {', '.join(valuation.missing)} in {risk.equity_currency}: the "
            "exchange trades it but no ticker prices it, so the equity would be too low"
        )
    details = {
        "equity_method": account.method,
        "account_type": markets.kind,
        "account_type_source": cycle.account_type().source,
    }
    if account.unrealised:
        details["unrealised_pnl"] = account.unrealised
    equity = from_snapshots(ctx, valuation.total, risk.equity_currency, valuation.unpriced)
    return adjust_for_transfers(ctx, replace(equity, details=details), prices)


def _spot_lists(markets: Markets, codes: tuple[str, ...]) -> bool:
    """Whether a derivatives account's exchange has an active spot market for any of them."""
    return markets.derivatives and any(
        market.active and market.type == "spot" and market.base in codes
        for market in markets.by_symbol.values()
    )


def equity_from_state(state: BotState, currency: str) -> Equity:
    if state.equity is None:
        raise SourceError(f"{state.path}: no `equity` field (risk.pnl_source: state)")

    def baseline(field: str, value: float | None) -> Baseline:
        if value is None:
            return Baseline(None, f"{state.path}: no `{field}` field (risk.pnl_source: state)")
        return Baseline(value, f"the bot's {field}")

    return Equity(
        value=state.equity,
        currency=currency,
        source="state file",
        day_start=baseline("day_start_equity", state.day_start_equity),
        week_start=baseline("week_start_equity", state.week_start_equity),
        peak=baseline("peak_equity", state.peak_equity),
    )


def from_snapshots(
    ctx: SourceContext, total: float, currency: str, unpriced: tuple[str, ...] = ()
) -> Equity:
    """Record `total` (not under --dry-run) and take the baselines from the snapshots."""
    # Imported here: SQLAlchemy is not needed by checks that read only files.
    from store.equity_snapshots import SnapshotHistory

    now, tz = ctx.now, ctx.settings.app.tz
    try:
        database = ctx.database()
        # The daemon's three loss checks value the account within seconds of each other:
        # one snapshot stands for all of them, and only the first takes the write lock.
        fresh_for = timedelta(seconds=ctx.settings.app.exchange.reuse_seconds)
        with database.read() as session:
            history = SnapshotHistory(session, ctx.settings.account, currency)
            recorded = fresh_for and history.last_between(now - fresh_for, now) is not None
            day = _period_baseline(history, day_start(now, tz), now, total, "day")
            week = _period_baseline(history, week_start(now, tz), now, total, "week")
            peak = _peak(history, now, total)
        if not ctx.dry_run and not recorded:
            with database.write() as session:
                history = SnapshotHistory(session, ctx.settings.account, currency)
                if not fresh_for or history.last_between(now - fresh_for, now) is None:
                    history.add(now, total)
    except Exception as error:  # noqa: BLE001 - any database failure makes equity unknown
        first_line = f"{type(error).__name__}: {error}".splitlines()[0]
        raise SourceError(f"equity snapshots: database error: {first_line}") from None
    return Equity(total, currency, "exchange", day, week, peak, unpriced)


def _period_baseline(
    history: SnapshotHistory, start: datetime, now: datetime, current: float, period: str
) -> Baseline:
    # In UTC: arithmetic on two datetimes of one zone is wall-clock time and ignores DST.
    start_utc = start.astimezone(UTC)
    before = history.last_between(start_utc - BASELINE_MAX_GAP, start_utc)
    if before is not None:
        return Baseline(
            before.equity, f"last snapshot at or before the start of the {period}", before.ts, start
        )
    after = history.first_after(start_utc)
    gap_minutes = int(BASELINE_MAX_GAP.total_seconds() // 60)
    source = (
        f"first snapshot after the start of the {period} "
        f"(none in the {gap_minutes} minutes before it)"
    )
    if after is None or after.ts > now:
        return Baseline(current, source, now, start)
    return Baseline(after.equity, source, after.ts, start)


def _peak(history: SnapshotHistory, now: datetime, current: float) -> Baseline:
    stored = history.peak()
    if stored is None or current >= stored.equity:
        return Baseline(current, "the current equity is the highest recorded", now)
    return Baseline(stored.equity, "highest snapshot recorded", stored.ts)
