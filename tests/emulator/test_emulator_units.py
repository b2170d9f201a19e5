"""Unit tests for the pure parts: state patching, fault budgets, URL handling, config."""

from __future__ import annotations

import ccxt
import pytest

from emulator import Fault, Market, State, ccxt_config_for, default_state
from emulator.faults import FaultBook
from emulator.server import split_target
from emulator.state import StateStore
from emulator.venues.wire import fmt, step_size, tick_size


def test_market_symbol_parsing():
    spot, swap = Market("ETH/USDC"), Market("BTC/USDT:USDT")
    assert (spot.base, spot.quote, spot.settle, spot.type) == ("ETH", "USDC", None, "spot")
    assert (swap.base, swap.quote, swap.settle, swap.type) == ("BTC", "USDT", "USDT", "swap")
    with pytest.raises(ValueError):
        Market("BTCUSDT")


def test_state_dict_roundtrip_and_patch_semantics():
    state = default_state()
    assert State.from_dict(state.to_dict()) == state
    state.apply_patch({"tickers": {"BTC/USDT": {"last": 1.0}, "ETH/USDT": None}})
    assert state.tickers["BTC/USDT"].last == 1.0 and "ETH/USDT" not in state.tickers
    assert "SOL/USDT" in state.tickers  # patch keeps other keys
    state.apply_patch({"tickers": {"XRP/USDT": {"last": 2.0}}}, replace=True)
    assert list(state.tickers) == ["XRP/USDT"]
    assert "BTC" in state.balances  # absent sections are untouched even when replacing


def test_state_store_patch_is_atomic():
    store = StateStore()
    with pytest.raises(ValueError):
        store.patch({"balances": {"BTC": {"free": 9.0}}, "tickers": {"X/Y": {"bogus": 1}}})
    assert store.snapshot().balances["BTC"].free == 0.5
    snapshot = store.snapshot()
    snapshot.balances.clear()
    assert store.snapshot().balances  # snapshots are copies


def test_default_state_listing_rules():
    state = default_state()
    binance = {m.symbol for m in state.markets_for("binance", "spot")}
    coinbase = {m.symbol for m in state.markets_for("coinbase", "spot")}
    assert "BTC/USD" in coinbase - binance and "LUNA/USDT" in binance - coinbase
    assert {m.symbol for m in state.markets_for("binanceusdm", "swap")} == {
        "BTC/USDT:USDT",
        "ETH/USDT:USDT",
    }
    assert set(state.positions) <= set(state.markets)


def test_fault_book_budget_order_and_scope():
    book = FaultBook()
    first = book.add(Fault("http_503", times=2))
    book.add(Fault("http_429", exchange="coinbase"))
    book.add(Fault("empty_markets"))
    assert book.take("coinbase", "api.coinbase.com/v2/accounts", market_list=False) == first
    assert book.take("binance", "x", market_list=False).id == first.id  # last use
    assert book.take("binance", "x", market_list=False) is None  # 429 is coinbase-only
    assert book.take("binance", "x", market_list=True).kind == "empty_markets"
    assert book.clear("coinbase") == 1
    assert [f.kind for f in book.active()] == ["empty_markets"]
    assert book.clear() == 1


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/binance/api.binance.com/api/v3/account",
            ("binance", "api.binance.com", "/api/v3/account"),
        ),
        ("/api.binance.com/api/v3/account", ("binance", "api.binance.com", "/api/v3/account")),
        ("/fapi.binance.com/fapi/v1/time", ("binanceusdm", "fapi.binance.com", "/fapi/v1/time")),
        ("/coinbase/api.coinbase.com/v2/time", ("coinbase", "api.coinbase.com", "/v2/time")),
        ("/nothing-here", None),
    ],
)
def test_split_target(path, expected):
    assert split_target(path) == expected


@pytest.mark.parametrize("exchange_id", ["binance", "binanceusdm", "coinbase"])
def test_ccxt_config_points_every_url_at_the_emulator(exchange_id):
    config = ccxt_config_for(exchange_id, "http://127.0.0.1:1234", timeout_ms=750)
    exchange = getattr(ccxt, exchange_id)(config)

    def urls(value: object) -> list[str]:
        if isinstance(value, dict):
            return [u for v in value.values() for u in urls(v)]
        return [value] if isinstance(value, str) else []

    api_urls = urls(exchange.urls["api"])
    assert api_urls and all(u.startswith(f"http://127.0.0.1:1234/{exchange_id}/") for u in api_urls)
    assert exchange.timeout == 750 and exchange.enableRateLimit is False
    assert (exchange.apiKey, exchange.secret) == ("test-key", "test-secret")


def test_ccxt_config_options_merge_and_exception_folding():
    config = ccxt_config_for(
        "binance", "http://h:1", api_key=None, secret=None, options={"fetchMarkets": {"x": 1}}
    )
    assert config["options"]["fetchMarkets"] == {"types": ["spot"], "x": 1}
    assert "apiKey" not in config and "secret" not in config
    exchange = ccxt.binance(config)
    assert exchange.exceptions["exact"]["-1008"] is ccxt.OperationFailed  # from 'spot'
    assert "exceptions" not in ccxt_config_for("coinbase", "http://h:1")


def test_number_formatting():
    assert fmt(1e-08) == "0.00000001" and fmt(97000.0) == "97000.0" and fmt(None) == ""
    assert (tick_size(97_000), tick_size(2.3), tick_size(None)) == ("0.01", "0.0001", "0.01")
    assert (step_size(97_000), step_size(2.3), step_size(0.35)) == ("0.00001", "0.1", "1.0")
