"""Empty Universe: each eligibility rule, the threshold at its edge, the context."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from checks.universe import Universe
from core.inputs import InputName, Inputs, Market, Markets, Ticker
from core.status import Status
from tests.helpers import policy

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
CHECK = Universe()


def _market(symbol: str, *, active: bool = True, kind: str = "spot") -> Market:
    base, quote = symbol.split(":", 1)[0].split("/")
    return Market(symbol, base, quote, kind, active)


def _run(markets, volumes=None, *, derivatives=False, **universe):
    volumes = volumes or {}
    tickers = {s: Ticker(s, last=1.0, quote_volume=v) for s, v in volumes.items()}
    listed = Markets(derivatives, {m.symbol: m for m in markets})
    inputs = Inputs({InputName.EXCHANGE_MARKETS: listed, InputName.EXCHANGE_TICKERS: tickers})
    return CHECK.run(inputs, policy(universe=universe), NOW)


@pytest.mark.parametrize(("eligible", "status"), [(0, 2), (1, 2), (2, 0), (3, 0)])
def test_fires_below_the_minimum(eligible, status):
    markets = [_market(f"C{i}/USD") for i in range(eligible)] + [_market("X/EUR")]
    result = _run(markets)
    assert result.status is Status(status)
    assert result.context["eligible_count"] == eligible
    assert result.context["threshold"] == 2
    assert result.context["total_assets"] == eligible + 1


def test_minimum_from_policy_and_from_its_other_spelling():
    markets = [_market("BTC/USD"), _market("ETH/USD")]
    assert _run(markets, min_eligible_assets=3).status is Status.CRITICAL
    listed = Markets(False, {m.symbol: m for m in markets})
    inputs = Inputs({InputName.EXCHANGE_MARKETS: listed, InputName.EXCHANGE_TICKERS: {}})
    other_spelling = policy(risk={"min_eligible_assets": 3})
    assert CHECK.run(inputs, other_spelling, NOW).status is Status.CRITICAL


def test_each_rule_and_the_reasons_counted():
    markets = [
        _market("BTC/USDT"),
        _market("ETH/USDC"),
        _market("LUNA/USDT", active=False),
        _market("BTC/EUR"),
        _market("BTC/USDT:USDT", kind="swap"),
        _market("DOGE/USD"),
        _market("SHIB/USD"),
        _market("XRP/USD"),
        _market("ADA/USD"),
    ]
    volumes = {"BTC/USDT": 5e8, "ETH/USDC": 2e6, "DOGE/USD": 1e6, "SHIB/USD": 999_999.0}
    result = _run(markets, volumes, exclude=["doge-usd", "XRP"], min_quote_volume_24h=1_000_000)
    assert result.status is Status.OK
    assert result.context["eligible_examples"] == ["BTC/USDT", "ETH/USDC"]
    assert result.context["ineligibility_reasons"] == {
        "excluded": 2,
        "inactive": 1,
        "quote currency not allowed": 1,
        "not a spot market": 1,
        "24h volume below minimum": 1,
    }
    assert result.context["volume_unknown_examples"] == ["ADA/USD"]  # no ticker: not ineligible


def test_markets_without_volume_make_it_unknown_not_critical():
    markets = [_market("BTC/USD"), _market("ETH/USD"), _market("ADA/USD")]
    result = _run(markets, {"BTC/USD": 5e6}, min_quote_volume_24h=1_000_000)
    assert result.status is Status.UNKNOWN
    assert result.summary.startswith("cannot evaluate: 1 eligible of 3 markets and 2 more")
    volumes = {"BTC/USD": 5e6, "ETH/USD": 10.0}
    result = _run(markets, volumes, min_quote_volume_24h=1_000_000, min_eligible_assets=3)
    assert result.status is Status.CRITICAL  # ADA/USD alone could not make up the minimum


def test_volume_from_base_volume_times_price():
    ticker = Ticker("BTC/USD", last=16_000.0, base_volume=100.0)
    assert ticker.volume == 1_600_000.0
    assert Ticker("BTC/USD", last=None, base_volume=2.0, vwap=10.0).volume == 20.0
    assert Ticker("BTC/USD", last=1.0, quote_volume=5.0, base_volume=100.0).volume == 5.0
    assert Ticker("BTC/USD", last=1.0).volume is None


def test_without_a_volume_minimum_no_ticker_is_needed():
    assert _run([_market("BTC/USD"), _market("ETH/USD")]).status is Status.OK


def test_a_derivatives_account_trades_contracts():
    markets = [_market("BTC/USDT:USDT", kind="swap"), _market("ETH/USDT:USDT", kind="future")]
    markets.append(_market("BTC/USDT"))
    result = _run(markets, derivatives=True)
    assert result.status is Status.OK and result.context["eligible_count"] == 2
    assert result.context["ineligibility_reasons"] == {"not a derivatives market": 1}
    excluded = _run(markets, derivatives=True, exclude=["BTC/USDT"])
    assert excluded.status is Status.CRITICAL


def test_summary_and_context_when_firing():
    result = _run([_market("BTC/USD"), _market("LUNA/USD", active=False)])
    assert result.status is Status.CRITICAL
    assert result.summary == "1 eligible of 2 markets (minimum 2); inactive: 1"
    assert result.context["action"].startswith("trading_paused")
    assert result.perfdata[0].render() == "eligible=1;;2:;0"
