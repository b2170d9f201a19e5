"""Prices and the valuation of balances: routes, the stablecoin peg, and unpriced assets."""

from __future__ import annotations

import pytest

from core.inputs import Market, Markets, Ticker
from core.pricing import PriceBook
from sources.valuation import value_balances


def _tickers(**prices: float) -> dict[str, Ticker]:
    """_tickers(BTC_USDT=97000) -> {"BTC/USDT": Ticker(last=97000)}; `__` stands for `:`."""
    tickers = {}
    for key, last in prices.items():
        symbol = key.replace("__", ":").replace("_", "/")
        tickers[symbol] = Ticker(symbol, last=last)
    return tickers


def _markets(*symbols: str, inactive: tuple[str, ...] = ()) -> Markets:
    by_symbol = {}
    for symbol in (*symbols, *inactive):
        base, quote = symbol.split("/")
        by_symbol[symbol] = Market(symbol, base, quote, "spot", symbol not in inactive)
    return Markets(False, by_symbol)


def test_direct_ticker_either_way_round():
    book = PriceBook(_tickers(BTC_USD=97_000, USD_EUR=0.5), "USD")
    assert book.price("BTC").value == 97_000
    assert book.price("BTC").source == "ticker BTC/USD"
    assert book.price("EUR").value == pytest.approx(2.0)
    assert book.price("EUR").source == "1/ticker USD/EUR"
    assert book.price("USD").value == 1.0


def test_stablecoins_are_one_to_one_unless_a_direct_ticker_says_otherwise():
    book = PriceBook(_tickers(USDC_USDT=1.0001), "USD")
    assert book.price("USDT").value == 1.0 and book.price("USDT").source == "USDT=USD 1:1"
    assert book.price("USDC").value == 1.0  # a USDC/USDT ticker says nothing about USD
    depegged = PriceBook(_tickers(USDT_USD=0.97), "USD")
    assert depegged.price("USDT").value == 0.97


def test_cross_through_a_stablecoin():
    book = PriceBook(_tickers(BTC_USDT=97_000, ETH_USDC=3_500, USDC_USD=0.999), "USD")
    btc = book.price("BTC")
    assert btc.value == 97_000 and btc.source == "ticker BTC/USDT x USDT=USD 1:1"
    assert book.price("ETH").value == pytest.approx(3_500 * 0.999)
    assert book.price("DOGE") is None


def test_non_usd_currency():
    book = PriceBook(_tickers(BTC_USDT=97_000, EUR_USD=1.25), "EUR")
    assert book.price("USD").value == pytest.approx(0.8)
    assert book.price("USDT").value == pytest.approx(0.8)  # USDT=USD, then 1/EUR-USD
    assert book.price("BTC").value == pytest.approx(97_000 * 0.8)


def test_spot_ticker_wins_over_a_contract_and_contracts_still_price():
    book = PriceBook(_tickers(BTC_USDT__USDT=97_100, BTC_USDT=97_000, ETH_USDT__USDT=3_500), "USD")
    assert book.price("BTC").value == 97_000
    assert book.price("ETH").value == 3_500


def test_tickers_without_a_price_are_ignored():
    tickers = {
        "BTC/USD": Ticker("BTC/USD", last=None, bid=96_000, ask=98_000),
        "ETH/USD": Ticker("ETH/USD", last=0.0),
        "SOL/USD": Ticker("SOL/USD"),
    }
    book = PriceBook(tickers, "USD")
    assert book.price("BTC").value == 97_000  # the middle of the book
    assert book.price("ETH") is None and book.price("SOL") is None


def test_valuation_sums_priced_balances():
    book = PriceBook(_tickers(BTC_USDT=100_000), "USD")
    valuation = value_balances({"BTC": 0.5, "USDT": 1_000, "USD": 10}, book, _markets("BTC/USDT"))
    assert valuation.total == pytest.approx(51_010)
    assert valuation.unpriced == valuation.missing == ()


def test_an_unpriced_asset_that_trades_here_is_missing_not_zero():
    book = PriceBook(_tickers(BTC_USDT=100_000), "USD")
    markets = _markets("BTC/USDT", "SOL/USDT", inactive=("LUNA/USDT",))
    valuation = value_balances({"BTC": 1, "SOL": 10, "LUNA": 1e6, "DUST": 5}, book, markets)
    assert valuation.missing == ("SOL",)  # listed and active: its value could matter
    assert valuation.unpriced == ("DUST", "LUNA")  # no active market: left out, named
    assert valuation.total == pytest.approx(100_000)
