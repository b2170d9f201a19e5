"""Reconcile Mismatch: the documented example, every threshold at and around its edge, spot
(by base asset) and derivatives (signed, by pair), and prices that cannot be had."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from checks.reconcile import Reconcile
from core.inputs import BotState, Holdings, InputName, Inputs, Position, Ticker
from core.status import Status
from tests.helpers import policy

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
CHECK = Reconcile()
TICKERS = {
    "BTC/USD": Ticker("BTC/USD", last=50_000.0),
    "ETH/USDT": Ticker("ETH/USDT", last=2_000.0),
}


def _run(positions, quantities, *, derivatives=False, tickers=TICKERS, **monitoring):
    state = BotState(
        Path("data/state.json"), {p.symbol: p for p in positions}, updated_at=None, modified_at=NOW
    )
    inputs = Inputs(
        {
            InputName.BOT_STATE: state,
            InputName.EXCHANGE_HOLDINGS: Holdings(derivatives, quantities),
            InputName.EXCHANGE_TICKERS: tickers,
        }
    )
    return CHECK.run(inputs, policy(monitoring=monitoring), NOW)


def _btc(local: float, exchange: float, **monitoring):
    return _run([Position("BTC/USD", local)], {"BTC": exchange, "USD": 1_000.0}, **monitoring)


def test_the_plans_example_fires():
    """Local 0.01 BTC, exchange 0.009 BTC at $50k: 10 % and $50 apart."""
    result = _run([Position("BTC/USD", 0.01, 50_000.0)], {"BTC": 0.009, "USD": 500.0})
    assert result.status is Status.WARNING
    assert result.context["total_count"] == 1
    assert result.context["mismatches"] == [
        {
            "symbol": "BTC/USD",
            "local_qty": 0.01,
            "exchange_qty": 0.009,
            "diff_pct": 10.0,
            "diff_usd": 50.0,
            "price": 50_000.0,
            "price_source": "ticker BTC/USD",
        }
    ]
    assert result.context["action"].startswith("syncing_to_exchange_truth")
    assert result.summary == (
        "1 of 1 positions differ from the exchange; largest BTC/USD: bot 0.01, "
        "exchange 0.009 ($50.00, 10.00%)"
    )
    assert result.perfdata[0].render() == "mismatches=1;0;;0"


def test_a_hundred_millionth_of_a_bitcoin_is_nothing():
    result = _btc(0.01, 0.01 - 1e-8)
    assert result.status is Status.OK
    assert result.summary == "1 positions match the exchange"
    assert result.context["mismatches"] == [] and result.context["total_count"] == 0


@pytest.mark.parametrize(
    ("exchange", "status"),
    [(0.96, Status.OK), (0.95, Status.OK), (0.9499, Status.WARNING), (1.06, Status.WARNING)],
)
def test_percentage_threshold_is_exceeded_not_reached(exchange, status):
    """5 % of the larger side: 1.0 vs 0.95 is exactly 5 % (no), 0.9499 is 5.01 % (yes)."""
    assert _btc(1.0, exchange, reconcile_mismatch_threshold_usd=1e9).status is status


@pytest.mark.parametrize(
    ("exchange", "status"),
    [(0.99981, Status.OK), (0.9998, Status.OK), (0.99979, Status.WARNING)],
)
def test_usd_threshold_is_exceeded_not_reached(exchange, status):
    """0.0002 BTC at $50k is exactly $10 (no); 0.00021 BTC is $10.50 (yes)."""
    assert _btc(1.0, exchange, reconcile_mismatch_threshold_pct=100.0).status is status


@pytest.mark.parametrize(
    ("exchange", "status"),
    [(0.000181, Status.OK), (0.00018, Status.WARNING), (0.0001, Status.WARNING)],
)
def test_dust_floor_is_reached_not_exceeded(exchange, status):
    """0.0002 BTC ($10) vs 0.00018: 10 % apart and worth exactly the $1 floor: a mismatch;
    0.000181 is 9.5 % apart but worth $0.95: dust."""
    assert _btc(0.0002, exchange).status is status


def test_spot_compares_base_assets_whatever_the_quote():
    positions = [Position("BTC/USD", 0.3), Position("BTC/USDT", 0.3), Position("ETH/USD", 2.0)]
    result = _run(positions, {"BTC": 0.6, "ETH": 2.0, "USDT": 5_000.0, "USD": 10.0})
    assert result.status is Status.OK
    assert result.context["compared_count"] == 2
    drift = _run(positions, {"BTC": 0.5, "ETH": 2.0})
    assert drift.context["mismatches"][0]["symbol"] == "BTC/USD+BTC/USDT"
    assert drift.context["mismatches"][0]["local_qty"] == pytest.approx(0.6)


def test_exchange_holdings_the_bot_does_not_know():
    result = _run([], {"ETH": 1.0, "USDT": 9_000.0, "USDC": 1.0, "USD": 5.0})
    assert result.status is Status.WARNING  # cash (quote currencies) is not a position
    assert [row["symbol"] for row in result.context["mismatches"]] == ["ETH"]
    assert result.context["mismatches"][0]["price_source"] == "ticker ETH/USDT x USDT=USD 1:1"
    assert _run([], {"ETH": 0.0004}).status is Status.OK  # $0.80: dust


def test_a_bot_position_the_exchange_does_not_hold():
    result = _run([Position("BTC/USD", 0.01)], {"USD": 100.0})
    assert result.status is Status.WARNING
    assert result.context["mismatches"][0]["exchange_qty"] == 0.0
    assert result.context["mismatches"][0]["diff_pct"] == 100.0


def test_top_five_by_usd_difference_and_the_total_count():
    tickers = {f"C{i}/USD": Ticker(f"C{i}/USD", last=float(i)) for i in range(1, 8)}
    positions = [Position(f"C{i}/USD", 100.0) for i in range(1, 8)]
    result = _run(positions, {}, tickers=tickers)
    assert result.context["total_count"] == 7
    assert [row["symbol"] for row in result.context["mismatches"]] == [
        "C7/USD",
        "C6/USD",
        "C5/USD",
        "C4/USD",
        "C3/USD",
    ]


def test_derivatives_compare_signed_sizes_by_pair():
    positions = [Position("BTC/USDT:USDT", 0.05), Position("ETH/USDT", -1.5)]
    holdings = {"BTC/USDT": 0.05, "ETH/USDT": -1.5}
    tickers = {"BTC/USDT:USDT": Ticker("BTC/USDT:USDT", last=97_000.0), **TICKERS}
    assert _run(positions, holdings, derivatives=True, tickers=tickers).status is Status.OK
    flipped = _run(positions, {**holdings, "ETH/USDT": 1.5}, derivatives=True, tickers=tickers)
    assert flipped.status is Status.WARNING
    row = flipped.context["mismatches"][0]
    assert (row["symbol"], row["diff_pct"], row["diff_usd"]) == ("ETH/USDT", 200.0, 6_000.0)
    assert flipped.context["account_type"] == "derivatives"
    unknown_to_bot = _run([], {"SOL/USDT": 10.0}, derivatives=True, tickers=tickers)
    assert unknown_to_bot.status is Status.UNKNOWN  # SOL has no price here, and no entry


def test_entry_price_when_no_ticker_prices_the_asset():
    result = _run([Position("XYZ/USDT", 10.0, entry_price=4.0)], {"XYZ": 5.0})
    assert result.status is Status.WARNING
    row = result.context["mismatches"][0]
    assert row["diff_usd"] == 20.0
    assert row["price_source"] == "entry_price of XYZ/USDT x USDT=USD 1:1"


def test_a_difference_that_cannot_be_valued_is_unknown():
    result = _run([Position("XYZ/USD", 10.0)], {"XYZ": 5.0})
    assert result.status is Status.UNKNOWN
    assert "cannot value the difference of XYZ/USD" in result.summary
    assert result.context["unpriced"] == ["XYZ/USD"]


def test_unpriced_exchange_only_holdings_are_named_not_blocking():
    result = _run([Position("BTC/USD", 0.01)], {"BTC": 0.01, "AIRDROP": 1e6})
    assert result.status is Status.OK
    assert result.context["unpriced"] == ["AIRDROP"]
    fired = _run([Position("BTC/USD", 0.01)], {"BTC": 0.02, "AIRDROP": 1e6})
    assert fired.status is Status.WARNING and fired.context["unpriced"] == ["AIRDROP"]
