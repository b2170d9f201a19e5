"""Reconcile Mismatch: the bot's positions differ from what the exchange holds.

Compared: the union of the bot's positions and the exchange's holdings. Spot holds base
assets, so a bot position in `BTC/USD` is compared with the account's BTC balance whatever
its quote (positions sharing a base are summed), and every non-cash asset the exchange holds
takes part even when the bot does not know it. Derivatives compare signed position sizes by
`BASE/QUOTE`. A difference is a mismatch when it is worth at least the dust floor and
exceeds either the percentage (of the larger side) or the USD threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from checks.base import Check, Examples
from config.models import Percent, Usd
from config.policy import EquityPolicy, Policy, PolicyPart, QuotePolicy
from core.format import settled
from core.inputs import BotState, Holdings, InputName, Inputs, Position, Ticker
from core.pricing import Price, PriceBook
from core.results import CheckResult, Perfdata, Range
from core.status import Severity
from core.symbols import base_of, pair_of, quote_of

SHOWN = 5


@dataclass(frozen=True)
class _Line:
    """One thing compared: the bot's quantity and the exchange's, and what prices it."""

    symbol: str
    asset: str
    local: float
    exchange: float
    positions: tuple[Position, ...] = ()


class ReconcilePolicy(PolicyPart):
    section = "monitoring"
    reconcile_mismatch_threshold_pct: Percent = 5.0
    reconcile_mismatch_threshold_usd: Usd = 10.0
    reconcile_dust_usd: Usd = 1.0


class Reconcile(Check):
    name = "reconcile"
    title = "Reconcile Mismatch"
    severity = Severity.WARNING
    order = 60
    needs = (InputName.BOT_STATE, InputName.EXCHANGE_HOLDINGS, InputName.EXCHANGE_TICKERS)
    policy_part = ReconcilePolicy
    action = "syncing_to_exchange_truth: resync the bot's positions from the exchange"
    runbook = (
        "The bot's positions differ from the exchange's. The exchange is the truth. 1) Look "
        "at the mismatches (local_qty vs exchange_qty): a fill the bot missed, a manual trade, "
        "a partial fill or a liquidation. 2) Let the bot resync from the exchange (or restart "
        "it) before it trades on a wrong position. 3) A deposit or an asset held outside the "
        "bot also shows here."
    )

    def examples(self, policy: Policy, now: datetime) -> Examples:
        """The bot believes it holds 0.5 BTC; the exchange holds less (a missed fill)."""
        limits = policy.of(ReconcilePolicy)
        missing = min(max(2 * limits.reconcile_mismatch_threshold_pct, 10.0), 100.0) / 100
        bot = BotState(
            Path("data/state.json"), {"BTC/USD": Position("BTC/USD", 0.5, 50_000.0)}, now, now
        )
        tickers = {"BTC/USD": Ticker("BTC/USD", last=50_000.0)}

        def held(btc: float) -> Inputs:
            holdings = Holdings(False, {"BTC": btc})
            values = {
                InputName.BOT_STATE: bot,
                InputName.EXCHANGE_HOLDINGS: holdings,
                InputName.EXCHANGE_TICKERS: tickers,
            }
            return Inputs(values)

        return Examples(firing=held(0.5 * (1 - missing)), clear=held(0.5))

    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        state: BotState = inputs[InputName.BOT_STATE]
        holdings: Holdings = inputs[InputName.EXCHANGE_HOLDINGS]
        prices = PriceBook(inputs[InputName.EXCHANGE_TICKERS], "USD")
        limits = policy.of(ReconcilePolicy)
        if holdings.derivatives:
            lines = _by_pair(state.positions.values(), holdings)
        else:
            quotes, equity = policy.of(QuotePolicy), policy.of(EquityPolicy)
            cash = {*quotes.quote_currencies, equity.equity_currency}
            lines = _by_asset(state.positions.values(), holdings, cash)
        mismatches: list[dict[str, Any]] = []
        unpriced: list[_Line] = []
        for line in lines:
            difference = abs(line.local - line.exchange)
            if difference == 0:
                continue
            diff_pct = settled(difference / max(abs(line.local), abs(line.exchange)) * 100)
            price = _price(line, prices)
            if price is None:
                unpriced.append(line)
                continue
            diff_usd = settled(difference * price.value)
            if diff_usd >= limits.reconcile_dust_usd and (
                diff_pct > limits.reconcile_mismatch_threshold_pct
                or diff_usd > limits.reconcile_mismatch_threshold_usd
            ):
                mismatches.append(_row(line, diff_pct, diff_usd, price))
        mismatches.sort(key=lambda row: row["diff_usd"], reverse=True)
        context: dict[str, Any] = {
            "mismatches": mismatches[:SHOWN],
            "total_count": len(mismatches),
            "compared_count": len(lines),
            "account_type": "derivatives" if holdings.derivatives else "spot",
            "threshold_pct": limits.reconcile_mismatch_threshold_pct,
            "threshold_usd": limits.reconcile_mismatch_threshold_usd,
            "dust_usd": limits.reconcile_dust_usd,
        }
        if unpriced:
            context["unpriced"] = [line.symbol for line in unpriced]
        perf = Perfdata("mismatches", len(mismatches), warn=Range.above(0), minimum=0)
        if mismatches:
            top = mismatches[0]
            return self.fire(
                f"{len(mismatches)} of {len(lines)} positions differ from the exchange; "
                f"largest {top['symbol']}: bot {top['local_qty']:g}, exchange "
                f"{top['exchange_qty']:g} (${top['diff_usd']:,.2f}, {top['diff_pct']:.2f}%)",
                context,
                perf,
            )
        # A spot wallet collects leftovers no market prices (airdrops, delisted coins): only
        # what the bot holds, or an open derivatives position, must be valued.
        unvalued = [line.symbol for line in unpriced if line.positions or holdings.derivatives]
        if unvalued:
            return self.unknown(
                f"cannot value the difference of {', '.join(unvalued)}: no ticker prices it "
                "and the bot gives no entry_price",
                context,
            )
        return self.ok(f"{len(lines)} positions match the exchange", context, perf)


def _by_asset(positions: Iterable[Position], holdings: Holdings, cash: set[str]) -> list[_Line]:
    """Spot: the bot's positions summed per base asset, plus every non-cash asset held."""
    grouped = _grouped(positions, base_of)
    lines = [
        _Line(
            "+".join(sorted(p.symbol for p in group)),
            asset,
            sum(p.quantity for p in group),
            holdings.quantities.get(asset, 0.0),
            tuple(group),
        )
        for asset, group in sorted(grouped.items())
    ]
    lines += [
        _Line(asset, asset, 0.0, amount)
        for asset, amount in sorted(holdings.quantities.items())
        if asset not in grouped and asset not in cash and amount != 0
    ]
    return lines


def _by_pair(positions: Iterable[Position], holdings: Holdings) -> list[_Line]:
    """Derivatives: signed sizes per `BASE/QUOTE` (a bot's `:SETTLE` suffix is ignored)."""
    grouped = _grouped(positions, pair_of)
    pairs = sorted(set(grouped) | set(holdings.quantities))
    return [
        _Line(
            pair,
            base_of(pair),
            sum(p.quantity for p in grouped.get(pair, ())),
            holdings.quantities.get(pair, 0.0),
            tuple(grouped.get(pair, ())),
        )
        for pair in pairs
    ]


def _grouped(positions: Iterable[Position], key: Callable[[str], str]) -> dict[str, list[Position]]:
    grouped: dict[str, list[Position]] = {}
    for position in positions:
        grouped.setdefault(key(position.symbol), []).append(position)
    return grouped


def _price(line: _Line, prices: PriceBook) -> Price | None:
    """The asset's USD price from the tickers, else the bot's entry price (in its quote)."""
    found = prices.price(line.asset)
    if found is not None:
        return found
    for position in line.positions:
        if position.entry_price:
            quote = quote_of(position.symbol)
            in_usd = prices.price(quote)
            if in_usd is not None:
                return Price(position.entry_price, f"entry_price of {position.symbol}") * in_usd
    return None


def _row(line: _Line, diff_pct: float, diff_usd: float, price: Price) -> dict[str, Any]:
    return {
        "symbol": line.symbol,
        "local_qty": line.local,
        "exchange_qty": line.exchange,
        "diff_pct": round(diff_pct, 2),
        "diff_usd": round(diff_usd, 2),
        "price": price.value,
        "price_source": price.source,
    }
