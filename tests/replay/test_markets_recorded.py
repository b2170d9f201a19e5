"""The markets the replay has ccxt load agree with the markets ccxt recorded from the exchanges
themselves: each folder's `ccxt-static-markets.json` holds, verbatim, the entries of ccxt's
`ts/src/test/static/markets/<id>.json` (unified markets, loaded by ccxt's static tests with
`set_markets`) of the symbols the profiles hold or price with. The replay serves raw market
answers instead (examples and synthetic copies), which only this check ties to a real exchange.
Compared: the fields alert-matrix reads of a market or computes with (its kind, base and quote,
settle currency, contract size, whether it trades); precision and limits it never reads."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config.models import ExchangeSettings
from emulator import ccxt_config_for
from emulator.replay import STATIC_MARKETS, ReplayExchange
from sources.exchange.client import build_client
from tests.replay.profiles import CREDENTIALS, PROFILES, RECORDINGS, Profile
from tests.replay.test_recordings import RECORDED_AS

FIELDS = ("type", "spot", "swap", "linear", "inverse", "settle", "base", "quote")
FIELDS += ("contractSize", "active")
VENDORED = {
    path.parent.name: json.loads(path.read_text())
    for path in sorted(RECORDINGS.glob(f"*/{STATIC_MARKETS}"))
}
RECORDED = [(ex, symbol) for ex, document in VENDORED.items() for symbol in document["markets"]]
NOT_RECORDED = [
    (ex, symbol, why)
    for ex, document in VENDORED.items()
    for symbol, why in document["origin"]["not_recorded"].items()
]


def _profile(exchange_id: str, symbol: str) -> Profile:
    """The profile holding `symbol` (its account kind decides the client), else the first."""
    profiles = [p for p in PROFILES if p.exchange_id == exchange_id]
    return next((p for p in profiles if symbol in p.positions), profiles[0])


@pytest.fixture(scope="module")
def loaded(replay_server: ReplayExchange) -> Any:
    """ccxt's markets as alert-matrix loads them from the replay, one load per profile."""
    replay_server.reload()
    cache: dict[str, Any] = {}

    def markets(profile: Profile) -> Any:
        if profile.name not in cache:
            config = ccxt_config_for(profile.exchange_id, replay_server.base_url, timeout_ms=5000)
            config.update(CREDENTIALS)
            settings = {"id": profile.exchange_id, "config": config, **profile.settings}
            client = build_client(ExchangeSettings.model_validate(settings), profile.positions)
            cache[profile.name] = client.load_markets()
        return cache[profile.name]

    return markets


def test_the_vendored_markets_name_their_origin():
    checked = {"binance", "binanceusdm", "bybit", "okx", "gate", "cryptocom"}
    checked |= {"coinbase", "kraken", "kucoin", "bitget", "bitfinex", "mexc"}
    assert set(VENDORED) == checked  # every replayed exchange
    for exchange_id, document in VENDORED.items():
        origin = document["origin"]
        recorded_as = RECORDED_AS.get(exchange_id, exchange_id)
        assert origin["path"] == f"ts/src/test/static/markets/{recorded_as}.json", exchange_id
        assert len(origin["commit"]) == 40 and "MIT" in origin["licence"], exchange_id
        assert origin["symbols"] == list(document["markets"]), exchange_id
        for symbol, entry in document["markets"].items():
            assert entry["symbol"] == symbol, (exchange_id, symbol)


@pytest.mark.parametrize(("exchange_id", "symbol"), RECORDED)
def test_a_replayed_market_agrees_with_the_recorded_one(loaded, exchange_id, symbol):
    recorded = VENDORED[exchange_id]["markets"][symbol]
    ours = loaded(_profile(exchange_id, symbol)).get(symbol)
    assert ours is not None, f"{exchange_id} replay has no {symbol}"
    differ = {key: (ours.get(key), recorded.get(key)) for key in FIELDS}
    differ = {key: pair for key, pair in differ.items() if pair[0] != pair[1]}
    assert differ == {}, f"{exchange_id} {symbol} (replayed, recorded): {differ}"


@pytest.mark.parametrize(("exchange_id", "symbol", "why"), NOT_RECORDED)
def test_a_symbol_ccxt_did_not_record(exchange_id, symbol, why):
    pytest.skip(f"{exchange_id} {symbol}: not in ccxt's recorded markets ({why})")
