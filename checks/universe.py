"""Empty Universe: too few markets the bot may trade, so it sits idle or trades what it should not.

Eligible: an active market of the account's kind (spot; for a derivatives account its swap
and future markets), quoted in `universe.quote_currencies`, not excluded by symbol or base
asset, with a 24 h volume in its quote currency of at least `universe.min_quote_volume_24h`
(`Ticker.volume`: the quote volume, else base volume x price). A market whose volume the
exchange does not report is not called ineligible for it: if such markets could make up the
minimum, the check cannot tell and says UNKNOWN rather than fire.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import Field

from checks.base import Check, Examples
from config.models import Count, Usd
from config.policy import Policy, PolicyPart, QuotePolicy
from core.inputs import InputName, Inputs, Market, Markets, Ticker
from core.results import CheckResult, Perfdata, Range
from core.status import Severity
from core.symbols import normalise_symbol, pair_of

EXAMPLES = 5
VOLUME_UNKNOWN = "volume unknown"  # never makes a market ineligible on its own
_EXAMPLE_BASES = ("BTC", "ETH", "SOL", "XRP", "ADA", "AVAX", "LINK", "DOT", "LTC", "ATOM")


class UniversePolicy(PolicyPart):
    section = "universe"
    # the older spelling, still accepted
    also_accepted = {"risk.min_eligible_assets": "min_eligible_assets"}
    min_eligible_assets: Count = 2
    exclude: list[str] = Field(default_factory=list)
    min_quote_volume_24h: Usd = 0.0


class Universe(Check):
    name = "universe"
    title = "Empty Universe"
    severity = Severity.CRITICAL
    order = 90
    needs = (InputName.EXCHANGE_MARKETS, InputName.EXCHANGE_TICKERS)
    policy_part = UniversePolicy
    action = "trading_paused: the bot has too few markets to trade"
    runbook = (
        "Fewer markets than the minimum pass the universe filters, so the bot has (almost) "
        "nothing to trade. 1) Read ineligibility_reasons: delistings and trading halts show as "
        "'inactive', thin markets as 'volume'. 2) Check the exchange's status page. 3) If the "
        "filters are too strict, change `universe:` in policy.yaml."
    )

    def examples(self, policy: Policy, now: datetime) -> Examples:
        """A spot exchange where trading halts on all but a few markets, and where it does not."""
        limits = policy.of(UniversePolicy)
        quote = policy.of(QuotePolicy).quote_currencies[0].upper()
        excluded = {normalise_symbol(entry) for entry in limits.exclude}
        bases = [base for base in _EXAMPLE_BASES if base not in excluded]
        wanted = limits.min_eligible_assets
        volume = max(limits.min_quote_volume_24h * 2, 1_000_000.0)
        symbols = [f"{base}/{quote}" for base in bases[: wanted + 3]]
        tickers = {s: Ticker(s, last=1.0, quote_volume=volume) for s in symbols}

        def listed(active: int) -> Inputs:
            markets = {
                s: Market(s, s.split("/")[0], quote, "spot", i < active)
                for i, s in enumerate(symbols)
            }
            values = {
                InputName.EXCHANGE_MARKETS: Markets(False, markets),
                InputName.EXCHANGE_TICKERS: tickers,
            }
            return Inputs(values)

        return Examples(firing=listed(wanted - 1), clear=listed(len(symbols)))

    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        markets: Markets = inputs[InputName.EXCHANGE_MARKETS]
        tickers: dict[str, Ticker] = inputs[InputName.EXCHANGE_TICKERS]
        limits = policy.of(UniversePolicy)
        rules = _Rules(limits, policy.of(QuotePolicy), markets)
        threshold = limits.min_eligible_assets
        reasons: Counter[str] = Counter()
        eligible: list[tuple[float, str]] = []
        unknown: list[str] = []  # eligible but for a volume nobody reported
        for symbol, market in markets.by_symbol.items():
            ticker = tickers.get(symbol)
            reason = rules.ineligible(market, ticker)
            if reason == VOLUME_UNKNOWN:
                unknown.append(symbol)
            elif reason:
                reasons[reason] += 1
            else:
                volume = ticker.volume if ticker and ticker.volume else 0.0
                eligible.append((volume, symbol))
        eligible.sort(reverse=True)
        context = {
            "eligible_count": len(eligible),
            "threshold": threshold,
            "total_assets": len(markets.by_symbol),
            "ineligibility_reasons": dict(reasons.most_common()),
            "eligible_examples": [symbol for _, symbol in eligible[:EXAMPLES]],
            "account_type": markets.kind,
        }
        if unknown:
            context["volume_unknown_count"] = len(unknown)
            context["volume_unknown_examples"] = sorted(unknown)[:EXAMPLES]
        perf = Perfdata("eligible", len(eligible), crit=Range.below(threshold), minimum=0)
        summary = f"{len(eligible)} eligible of {len(markets.by_symbol)} markets"
        if len(eligible) < threshold <= len(eligible) + len(unknown):
            return self.unknown(
                f"{summary} and {len(unknown)} more whose 24h volume the exchange does not "
                f"report (minimum {threshold})",
                context,
            )
        if len(eligible) < threshold:
            top = ", ".join(f"{reason}: {count}" for reason, count in reasons.most_common(3))
            return self.fire(
                f"{summary} (minimum {threshold}); {top}",
                context,
                perf,
            )
        return self.ok(f"{summary} (minimum {threshold})", context, perf)


class _Rules:
    """The eligibility rules, with the policy's lists normalised once."""

    def __init__(self, policy: UniversePolicy, quotes: QuotePolicy, markets: Markets) -> None:
        self.markets = markets
        self.quotes = {quote.upper() for quote in quotes.quote_currencies}
        self.excluded = {normalise_symbol(entry) for entry in policy.exclude}
        self.min_volume = policy.min_quote_volume_24h

    def ineligible(self, market: Market, ticker: Ticker | None) -> str:
        """Why `market` is not eligible (the first rule it fails), or "" if it is."""
        if not market.active:
            return "inactive"
        if not self.markets.of_account_kind(market):
            return f"not a {self.markets.kind} market"
        if market.quote.upper() not in self.quotes:
            return "quote currency not allowed"
        if {market.symbol, pair_of(market.symbol), market.base} & self.excluded:
            return "excluded"
        if self.min_volume > 0:
            if ticker is None or ticker.volume is None:
                return VOLUME_UNKNOWN
            if ticker.volume < self.min_volume:
                return "24h volume below minimum"
        return ""
