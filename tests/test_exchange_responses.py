"""ccxt's unified structures are validated: what cannot be true of a working account is
refused (so checks say UNKNOWN), what can be true passes through in the checks' terms."""

from __future__ import annotations

import pytest

from core.inputs import Market
from sources.exchange.responses import (
    InvalidResponse,
    parse_balance,
    parse_markets,
    parse_positions,
    parse_tickers,
)

SPOT = {"BTC/USDT": {"base": "BTC", "quote": "USDT", "type": "spot", "active": True}}


def _nothing_held() -> list[str]:
    return []


def test_markets():
    raw = {
        **SPOT,
        "LUNA/USDT": {"base": "LUNA", "quote": "USDT", "type": "spot", "active": False},
        "ETH/USDT": {"base": "ETH", "quote": "USDT", "type": "spot", "active": None},
    }
    markets = parse_markets(raw, derivatives=False)
    assert markets.by_symbol["BTC/USDT"] == Market("BTC/USDT", "BTC", "USDT", "spot", True)
    assert markets.by_symbol["LUNA/USDT"].active is False
    assert markets.by_symbol["ETH/USDT"].active is True  # None: not reported


@pytest.mark.parametrize(
    ("raw", "derivatives", "message"),
    [
        ({}, False, "the market list is empty"),
        (None, False, "the market list is empty"),
        ({"X": {"base": "X", "quote": None, "type": "spot"}}, False, "lacks base, quote or type"),
        ({"X": "garbage"}, False, "lacks base, quote or type"),
        (SPOT, True, "none of the 1 markets is a derivatives market"),
    ],
)
def test_markets_refused(raw, derivatives, message):
    with pytest.raises(InvalidResponse, match=message):
        parse_markets(raw, derivatives)


def test_tickers():
    tickers = parse_tickers(
        {
            "BTC/USDT": {"last": "97000", "bid": None, "ask": None, "quoteVolume": 1e9},
            "LUNA/USDT": {"last": None, "bid": None, "ask": None, "quoteVolume": None},
        }
    )
    assert tickers["BTC/USDT"].price == 97_000.0 and tickers["BTC/USDT"].quote_volume == 1e9
    assert tickers["LUNA/USDT"].price is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "no tickers"),
        ("<html>", "no tickers"),
        ({"BTC/USDT": {"last": None, "bid": None, "ask": None}}, "none of the 1 tickers"),
        ({"BTC/USDT": {"last": "lots"}}, "'lots' is not a number"),
        ({"BTC/USDT": {"last": float("nan")}}, "not a finite number"),
        ({"BTC/USDT": {"last": True}}, "True is not a number"),
        ({"BTC/USDT": []}, "is not an object"),
    ],
)
def test_tickers_refused(raw, message):
    with pytest.raises(InvalidResponse, match=message):
        parse_tickers(raw)


def test_balance_totals():
    raw = {
        "total": {"BTC": 0.6, "usdt": "15000", "ETH": 0, "SOL": None},
        "SOL": {"free": 25.0, "used": 5.0},
    }
    assert parse_balance(raw, _nothing_held) == {"BTC": 0.6, "USDT": 15_000.0, "SOL": 30.0}


def test_an_empty_balance_is_believed_only_while_the_bot_holds_nothing():
    empty = {"total": {}, "free": {}, "used": {}}
    assert parse_balance(empty, _nothing_held) == {}
    with pytest.raises(InvalidResponse, match="empty while the bot holds BTC/USD, ETH/USD"):
        parse_balance(empty, lambda: ["BTC/USD", "ETH/USD"])
    many = [f"C{i}/USD" for i in range(5)]
    with pytest.raises(InvalidResponse, match="C2/USD and 2 more"):
        parse_balance(empty, lambda: many)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("<html>", "no totals"),
        ({"info": "<html>"}, "no totals"),
        ({"total": {"BTC": None}}, "BTC: no total, free or used"),
        ({"total": {"BTC": "x"}}, "'x' is not a number"),
    ],
)
def test_balance_refused(raw, message):
    with pytest.raises(InvalidResponse, match=message):
        parse_balance(raw, _nothing_held)


def test_positions_signed_in_base_units():
    raw = [
        {"symbol": "BTC/USDT:USDT", "side": "long", "contracts": 0.05, "contractSize": 1},
        {"symbol": "ETH/USDT:USDT", "side": "short", "contracts": 15, "contractSize": 0.1},
        {"symbol": "SOL/USDT:USDT", "side": None, "contracts": 0},
    ]
    assert parse_positions(raw) == {"BTC/USDT": 0.05, "ETH/USDT": -1.5}
    assert parse_positions([]) == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "not a list"),
        ([{"contracts": 1}], "has no symbol"),
        ([{"symbol": "BTC/USDT:USDT", "contracts": 1, "side": "both"}], "neither long nor short"),
    ],
)
def test_positions_refused(raw, message):
    with pytest.raises(InvalidResponse, match=message):
        parse_positions(raw)
