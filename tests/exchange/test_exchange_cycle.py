"""The real ccxt client against the emulator: healthy values for binance (spot), coinbase
(Advanced Trade) and binanceusdm (positions); each response fetched once per cycle; markets
cached for their TTL."""

from __future__ import annotations

import pytest

from core.status import Status
from tests.exchange.harness import EXCHANGE_CHECKS, Watch, at


@pytest.mark.parametrize(
    ("exchange_id", "equity", "eligible", "total"),
    [
        # binance: USD pairs are coinbase-only, so BTC is priced via BTC/USDT x USDT=USD 1:1
        ("binance", 96_600.0, 11, 12),  # LUNA/USDT is listed but inactive
        ("coinbase", 96_615.52, 16, 16),  # BTC/USD etc. direct, USDT and USDC 1:1
        ("binanceusdm", 10_500.0, 2, 2),  # the futures wallet; swaps are its universe
    ],
)
def test_healthy_cycle_values(tmp_path, emulator, exchange_id, equity, eligible, total):
    watch = Watch(tmp_path, emulator, exchange_id)
    results = watch.cycle()
    assert {name: r.status for name, r in results.items()} == {
        check.name: Status.OK for check in EXCHANGE_CHECKS
    }
    assert results["daily_loss"].context["equity"] == pytest.approx(equity)
    assert results["daily_loss"].context["equity_source"] == "exchange"
    assert results["universe"].context["eligible_count"] == eligible
    assert results["universe"].context["total_assets"] == total
    assert results["reconcile"].context["total_count"] == 0
    assert [e.kind for e in watch.events()] == ["api_ok"]
    assert watch.events()[0].source == "runner" and watch.events()[0].account == "acct"
    assert [value for _, value in watch.snapshots()] == [pytest.approx(equity)]


def test_derivatives_positions_are_reconciled(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "binanceusdm", positions={"BTC/USDT:USDT": 0.05})
    result = watch.cycle()["reconcile"]
    assert result.status is Status.WARNING
    row = result.context["mismatches"][0]
    assert (row["symbol"], row["local_qty"], row["exchange_qty"]) == ("ETH/USDT", 0.0, -1.5)
    assert row["price_source"] == "ticker ETH/USDT:USDT x USDT=USD 1:1"


def test_losses_fire_from_real_balances(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "binance")
    assert watch.cycle(at(9))["daily_loss"].status is Status.OK
    emulator.state.set_balance("BTC", 0.5, 0.0)  # 0.1 BTC gone: -9 700 of 96 600 USD
    results = watch.cycle(at(10))
    for name in ("daily_loss", "weekly_loss", "drawdown"):
        assert results[name].status is Status.CRITICAL, results[name].summary
    assert results["daily_loss"].context["change_pct"] == pytest.approx(-10.0414, abs=1e-4)
    assert results["daily_loss"].context["baseline_at"] == at(9).isoformat()
    mismatch = results["reconcile"].context["mismatches"][0]
    assert results["reconcile"].status is Status.WARNING
    assert (mismatch["symbol"], mismatch["diff_usd"]) == ("BTC/USDT", 9_700.0)


def test_an_asset_that_trades_but_has_no_price_makes_equity_unknown(tmp_path, emulator):
    for quote in ("USDT", "USDC", "USD"):
        emulator.state.remove("tickers", f"SOL/{quote}")
    results = Watch(tmp_path, emulator, "binance").cycle()
    for name in ("daily_loss", "weekly_loss", "drawdown"):
        assert results[name].status is Status.UNKNOWN
        assert "cannot value SOL in USD" in results[name].summary
    assert results["reconcile"].status is Status.OK  # SOL matches: no price needed


def test_an_empty_balance_while_the_bot_holds_positions_is_not_believed(tmp_path, emulator):
    emulator.state.patch({"balances": {}}, replace=True)
    watch = Watch(tmp_path, emulator, "binance")
    results = watch.cycle()
    assert results["reconcile"].status is Status.UNKNOWN
    assert "the balance is empty while the bot holds BTC/USDT" in results["reconcile"].summary
    assert results["daily_loss"].status is Status.UNKNOWN
    assert results["universe"].status is Status.OK  # a refused answer stops no other call
    assert [e.code for e in watch.events()] == ["InvalidResponse"]
    watch.write_positions({})
    assert watch.cycle()["reconcile"].status is Status.OK  # nothing held: an empty account


@pytest.mark.parametrize(("exchange_id", "cold", "warm"), [("binance", 3, 2), ("coinbase", 8, 2)])
def test_each_response_is_fetched_once_per_cycle(tmp_path, emulator, exchange_id, cold, warm):
    watch = Watch(tmp_path, emulator, exchange_id)
    watch.cycle(at(9))
    assert emulator.requests_total() == cold, emulator.request_counts()
    emulator.reset_counts()
    watch.cycle(at(9, 1))
    assert emulator.requests_total() == warm, emulator.request_counts()


def test_markets_are_cached_for_their_ttl(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "binance", ttl=60)

    def market_requests() -> int:
        count = emulator.request_counts().get("binance GET api.binance.com/api/v3/exchangeInfo", 0)
        emulator.reset_counts()
        return count

    watch.cycle(at(9))
    assert market_requests() == 1
    watch.cycle(at(9, 0, 59))
    assert market_requests() == 0
    watch.cycle(at(9, 1))
    assert market_requests() == 1
    (tmp_path / "ttl0").mkdir()
    every_cycle = Watch(tmp_path / "ttl0", emulator, "binance", ttl=0)
    every_cycle.cycle(at(9))
    every_cycle.cycle(at(9))
    assert market_requests() == 2


def test_recommended_options_give_way_to_the_configuration(tmp_path, emulator):
    Watch(tmp_path, emulator, "binance", recommended_options=False).cycle()
    assert emulator.requests_total() == 7  # 5 for markets with a key (currencies, margins)
    emulator.reset_counts()
    (tmp_path / "coinbase").mkdir()
    coinbase = Watch(tmp_path / "coinbase", emulator, "coinbase", recommended_options=False)
    coinbase.cycle()
    assert "coinbase GET api.coinbase.com/v2/accounts" in emulator.request_counts()


def test_coinbase_balance_follows_pages(tmp_path, emulator):
    emulator.state.patch({"account_page_size": 2})
    result = Watch(tmp_path, emulator, "coinbase").cycle()["daily_loss"]
    assert result.context["equity"] == pytest.approx(96_615.52)  # all 6 currencies, 3 pages


def test_checks_in_separate_jobs_share_a_fresh_answer(tmp_path, emulator):
    """The daemon runs each check in its own cycle: answers younger than reuse_seconds are
    shared, so checks firing together cost one request each, and a failure is neither asked
    again nor logged twice."""
    watch = Watch(tmp_path, emulator, "binance", reuse_seconds=5)
    by_name = {check.name: check for check in EXCHANGE_CHECKS}
    watch.cycle(at(9), checks=[by_name["reconcile"]])  # markets + balance + tickers
    emulator.reset_counts()
    results = watch.cycle(at(9, 0, 3), checks=[by_name["daily_loss"], by_name["universe"]])
    assert emulator.requests_total() == 0, emulator.request_counts()
    assert results["daily_loss"].status is Status.OK and results["universe"].status is Status.OK
    assert len(watch.snapshots()) == 1

    emulator.add_fault("http_503", exchange="binance")
    watch.cycle(at(9, 0, 10), checks=[by_name["reconcile"]])
    failed = emulator.requests_total()
    later = watch.cycle(at(9, 0, 12), checks=[by_name["drawdown"]])
    assert later["drawdown"].status is Status.UNKNOWN
    assert emulator.requests_total() == failed  # the 503 is shared, not asked again
    assert [event.code for event in watch.events() if event.kind == "api_error"] == [
        "ExchangeNotAvailable"
    ]
    emulator.clear_faults()
    assert watch.cycle(at(9, 0, 16), checks=[by_name["drawdown"]])["drawdown"].status is Status.OK


def test_loss_checks_in_separate_jobs_record_one_snapshot(tmp_path, emulator):
    watch = Watch(tmp_path, emulator, "binance", reuse_seconds=5)
    by_name = {check.name: check for check in EXCHANGE_CHECKS}
    for second, name in enumerate(("daily_loss", "weekly_loss", "drawdown")):
        watch.cycle(at(9, 0, second), checks=[by_name[name]])
    assert len(watch.snapshots()) == 1
    watch.cycle(at(9, 0, 30), checks=[by_name["daily_loss"]])
    assert len(watch.snapshots()) == 2
