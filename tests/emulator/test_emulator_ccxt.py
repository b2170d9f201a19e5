"""Real ccxt 4.5.90 clients against the emulator: unified structures and endpoint usage."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import ccxt
import pytest
from emulator_testlib import EXCHANGES, SYMBOL

from emulator import ExchangeEmulator

LOAD_MARKETS_PATHS = {
    "binance": {
        "api.binance.com/sapi/v1/capital/config/getall": 1,
        "api.binance.com/sapi/v1/margin/allPairs": 2,  # fetchCurrencies + fetchMarkets
        "api.binance.com/sapi/v1/margin/isolated/allPairs": 1,
        "api.binance.com/api/v3/exchangeInfo": 1,
    },
    "binanceusdm": {
        "api.binance.com/sapi/v1/capital/config/getall": 1,
        "api.binance.com/sapi/v1/margin/allPairs": 1,
        "fapi.binance.com/fapi/v1/exchangeInfo": 1,
    },
    "coinbase": {
        "api.coinbase.com/v2/currencies": 1,
        "api.coinbase.com/v2/currencies/crypto": 1,
        "api.coinbase.com/v2/exchange-rates": 1,
        "api.coinbase.com/api/v3/brokerage/market/products": 2,  # SPOT + FUTURE
        "api.coinbase.com/api/v3/brokerage/transaction_summary": 1,
    },
}
WARM_CYCLE_PATHS = {
    "binance": {"api.binance.com/api/v3/account": 1, "api.binance.com/api/v3/ticker/24hr": 1},
    "binanceusdm": {
        "fapi.binance.com/fapi/v3/account": 1,
        "fapi.binance.com/fapi/v1/ticker/24hr": 1,
    },
    "coinbase": {
        "api.coinbase.com/v2/accounts": 1,
        "api.coinbase.com/api/v3/brokerage/market/products": 1,
    },
}


def paths(emu: ExchangeEmulator, exchange_id: str) -> dict[str, int]:
    prefix = f"{exchange_id} GET "
    return {key.removeprefix(prefix): n for key, n in emu.request_counts(exchange_id).items()}


@pytest.mark.parametrize("exchange_id", EXCHANGES)
def test_load_markets_endpoints_and_warm_cycle_count(emulator, make_exchange, exchange_id):
    exchange = make_exchange(exchange_id)
    exchange.load_markets()
    assert paths(emulator, exchange_id) == LOAD_MARKETS_PATHS[exchange_id]

    emulator.reset_counts()
    exchange.fetch_balance()
    exchange.fetch_tickers()
    assert paths(emulator, exchange_id) == WARM_CYCLE_PATHS[exchange_id]
    assert emulator.requests_total() == 2
    assert all(r.status == 200 for r in emulator.request_log())


def test_binance_spot_markets(make_exchange):
    markets = make_exchange("binance").load_markets()
    btc = markets["BTC/USDT"]
    assert (btc["id"], btc["base"], btc["quote"], btc["type"]) == ("BTCUSDT", "BTC", "USDT", "spot")
    assert btc["spot"] is True and btc["active"] is True
    assert markets["LUNA/USDT"]["active"] is False
    assert "BTC/USD" not in markets  # USD pairs are coinbase-only in the default state
    assert all(m["spot"] for m in markets.values())


def test_binanceusdm_swap_markets(make_exchange):
    markets = make_exchange("binanceusdm").load_markets()
    assert set(markets) == {"BTC/USDT:USDT", "ETH/USDT:USDT"}
    btc = markets["BTC/USDT:USDT"]
    assert btc["type"] == "swap" and btc["linear"] is True and btc["settle"] == "USDT"
    assert btc["active"] is True


def test_coinbase_markets(make_exchange):
    markets = make_exchange("coinbase").load_markets()
    assert markets["BTC/USD"]["id"] == "BTC-USD"
    assert {"BTC/USDT", "BTC/USDC", "ETH/USD"} <= set(markets)
    assert all(m["spot"] and m["active"] for m in markets.values())


def test_public_only_client_needs_one_request(emulator, make_exchange):
    exchange = make_exchange("binance", api_key=None, secret=None)
    assert "BTC/USDT" in exchange.load_markets()
    assert paths(emulator, "binance") == {"api.binance.com/api/v3/exchangeInfo": 1}


@pytest.mark.parametrize("exchange_id", ["binance", "coinbase"])
def test_spot_balance(make_exchange, exchange_id):
    balance = make_exchange(exchange_id).fetch_balance()
    assert balance["USDT"]["total"] == pytest.approx(15_000)
    if exchange_id == "binance":
        assert balance["USDT"] == {"free": 12_500, "used": 2_500, "total": 15_000}
    else:  # coinbase v2 accounts have no hold: ccxt reports everything as free
        assert balance["USDT"] == {"free": 15_000, "used": 0, "total": 15_000}


def test_coinbase_v3_balance_follows_cursor_pages(emulator, make_exchange):
    emulator.state.patch({"account_page_size": 2})
    exchange = make_exchange("coinbase", options={"fetchBalance": "v3PrivateGetBrokerageAccounts"})
    exchange.load_markets()
    emulator.reset_counts()
    balance = exchange.fetch_balance()
    assert set(balance["total"]) == {"BTC", "ETH", "SOL", "USD", "USDC", "USDT"}
    assert balance["BTC"] == {"free": 0.5, "used": 0.1, "total": pytest.approx(0.6)}
    assert emulator.request_counts() == {
        "coinbase GET api.coinbase.com/api/v3/brokerage/accounts": 3
    }


def test_coinbase_v2_balance_reads_first_page_only(emulator, make_exchange):
    """ccxt's default v2 path never follows ``next_starting_after``: documented truncation."""
    emulator.state.patch({"account_page_size": 2})
    balance = make_exchange("coinbase").fetch_balance()
    assert set(balance["total"]) == {"BTC", "ETH"}


def test_futures_balance(make_exchange):
    balance = make_exchange("binanceusdm").fetch_balance()
    assert balance["USDT"] == {"free": 8_000, "used": 2_000, "total": 10_000}


@pytest.mark.parametrize("exchange_id", EXCHANGES)
def test_tickers_all_and_subset(emulator, make_exchange, exchange_id):
    exchange = make_exchange(exchange_id)
    symbol = SYMBOL[exchange_id]
    emulator.state.set_ticker(symbol, 50_000.0, 123_456_789.0, bid=49_999.0, ask=50_001.0)
    everything = exchange.fetch_tickers()
    assert everything[symbol]["last"] == 50_000.0
    assert everything[symbol]["quoteVolume"] == pytest.approx(123_456_789.0)

    subset = exchange.fetch_tickers([symbol])
    assert list(subset) == [symbol]
    single = exchange.fetch_ticker(symbol)
    assert single["symbol"] == symbol and single["last"] == 50_000.0
    if exchange_id != "binanceusdm":  # futures 24hr tickers carry no book
        assert (single["bid"], single["ask"]) == (49_999.0, 50_001.0)


def test_state_changes_are_seen_live(emulator, make_exchange):
    exchange = make_exchange("binance")
    exchange.load_markets()
    emulator.state.set_balance("BTC", 2.0, 0.25)
    emulator.state.remove("balances", "SOL")
    balance = exchange.fetch_balance()
    assert balance["BTC"] == {"free": 2.0, "used": 0.25, "total": 2.25}
    assert "SOL" not in balance


def test_positions(emulator, make_exchange):
    exchange = make_exchange("binanceusdm")
    positions = {p["symbol"]: p for p in exchange.fetch_positions()}
    assert set(positions) == {"BTC/USDT:USDT", "ETH/USDT:USDT"}
    btc, eth = positions["BTC/USDT:USDT"], positions["ETH/USDT:USDT"]
    assert (btc["side"], btc["contracts"], btc["entryPrice"]) == ("long", 0.05, 95_000.0)
    assert (eth["side"], eth["contracts"], eth["entryPrice"]) == ("short", 1.5, 3_600.0)
    assert btc["marginMode"] == "cross"
    assert btc["unrealizedPnl"] == pytest.approx((97_029.1 - 95_000.0) * 0.05)

    emulator.state.set_position(
        "ETH/USDT:USDT", "long", 3.0, 3_400.0, mark_price=3_500.0, margin_mode="isolated"
    )
    emulator.state.remove("positions", "BTC/USDT:USDT")
    (eth,) = exchange.fetch_positions()
    assert (eth["side"], eth["contracts"], eth["markPrice"]) == ("long", 3.0, 3_500.0)
    assert eth["marginMode"] == "isolated"
    assert exchange.fetch_positions(["BTC/USDT:USDT"]) == []


def test_concurrent_clients_are_all_counted(emulator, make_exchange):
    clients = [make_exchange(eid) for eid in ["binance", "coinbase"] * 3]
    for client in clients:
        client.load_markets()
    emulator.reset_counts()

    def worker(client: ccxt.Exchange) -> list[float]:
        return [client.fetch_ticker(SYMBOL[client.id])["last"] for _ in range(10)]

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(worker, client) for client in clients]
        for price in range(100):  # mutate state while handlers read snapshots
            emulator.state.set_ticker("BTC/USDT", 90_000.0 + price, 1.0)
        results = [future.result() for future in futures]  # re-raises worker errors
    assert all(last is not None for prices in results for last in prices)
    assert emulator.requests_total() == 60
    assert emulator.requests_total("coinbase") == 30
