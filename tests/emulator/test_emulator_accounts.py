"""Per-API-key accounts: each key's private calls see its own wallets and positions, public
market data stays shared, and every request is counted per key (public vs private)."""

from __future__ import annotations

import pytest

from emulator import NO_KEY, Account, Balance, EmulatorControl, State, default_state

BOT_A = {"balances": {"BTC": {"free": 1.0}, "USDT": {"free": 100.0, "used": 5.0}}}
BOT_B = {
    "balances": {"ETH": {"free": 2.0}},
    "futures_balances": {"USDT": {"free": 700.0}},
    "positions": {"ETH/USDT:USDT": {"side": "long", "contracts": 3, "entry_price": 3_400}},
}


def test_a_key_with_an_account_sees_only_it_and_others_the_shared_wallets():
    state = default_state()
    state.apply_patch({"accounts": {"key-a": BOT_A, "key-b": BOT_B}})
    a, b, other = (state.for_api_key(k) for k in ("key-a", "key-b", "key-z"))
    assert a.balances == {"BTC": Balance(1.0), "USDT": Balance(100.0, 5.0)}
    assert a.positions == {} and a.futures_balances == {}  # whole: nothing inherited
    assert list(b.positions) == ["ETH/USDT:USDT"] and b.futures_balances["USDT"].free == 700
    assert other is state and state.for_api_key(None) is state
    assert a.tickers is state.tickers  # market data is the shared one


def test_accounts_patch_roundtrip_and_delete():
    state = default_state()
    state.apply_patch({"accounts": {"key-a": BOT_A, "key-b": BOT_B}})
    assert State.from_dict(state.to_dict()) == state
    state.apply_patch({"accounts": {"key-a": {"balances": {"SOL": {"free": 9}}}}})
    assert list(state.accounts["key-a"].balances) == ["SOL"]  # an entry is replaced whole
    state.apply_patch({"accounts": {"key-b": None}})
    assert list(state.accounts) == ["key-a"]
    state.apply_patch({"accounts": {"key-c": Account()}}, replace=True)
    assert list(state.accounts) == ["key-c"]
    with pytest.raises(ValueError, match="unknown account section"):
        state.apply_patch({"accounts": {"key-d": {"tickers": {}}}})


def test_ccxt_clients_with_different_keys_read_their_own_accounts(emulator, make_exchange):
    emulator.state.set_account("key-a", **BOT_A)
    emulator.state.set_account("key-b", **BOT_B)
    a = make_exchange("binance", api_key="key-a")
    shared = make_exchange("binance", api_key="key-shared")
    assert a.fetch_balance()["total"] == {"BTC": 1.0, "USDT": 105.0}
    assert shared.fetch_balance()["total"]["SOL"] == 30.0  # the default wallet
    emulator.state.set_ticker("BTC/USDT", 61_000.0)
    assert a.fetch_tickers()["BTC/USDT"]["last"] == 61_000.0
    assert shared.fetch_tickers()["BTC/USDT"]["last"] == 61_000.0
    futures = make_exchange("binanceusdm", api_key="key-b")
    (position,) = futures.fetch_positions()
    assert (position["symbol"], position["side"], position["contracts"]) == (
        "ETH/USDT:USDT",
        "long",
        3.0,
    )
    assert futures.fetch_balance()["USDT"]["free"] == 700.0
    assert make_exchange("binanceusdm", api_key="key-a").fetch_positions() == []
    assert make_exchange("coinbase", api_key="key-b").fetch_balance()["total"] == {"ETH": 2.0}
    v3 = make_exchange(
        "coinbase", api_key="key-a", options={"fetchBalance": "v3PrivateGetBrokerageAccounts"}
    )
    assert v3.fetch_balance()["BTC"]["total"] == 1.0


def test_requests_are_counted_per_key_public_and_private(emulator, make_exchange):
    clients = {key: make_exchange("binance", api_key=key) for key in ("key-a", "key-b")}
    for client in clients.values():
        client.load_markets()
    emulator.reset_counts()
    for _ in range(2):
        for client in clients.values():
            client.fetch_balance()
            client.fetch_tickers()
    assert emulator.requests_by_key() == {
        "key-a": {"public": 0, "private": 2},
        "key-b": {"public": 0, "private": 2},
        NO_KEY: {"public": 4, "private": 0},  # ccxt signs only key-only endpoints
    }
    assert emulator.log.summary()["private"] == 4


def test_the_control_api_sets_accounts_and_reports_counts_per_key(emulator, make_exchange):
    control = EmulatorControl(emulator.base_url)
    try:
        control.set_account("key-a", balances={"XRP": {"free": 50.0}})
        assert control.state()["accounts"]["key-a"]["balances"]["XRP"]["free"] == 50.0
        assert make_exchange("binance", api_key="key-a").fetch_balance()["total"] == {"XRP": 50.0}
        counts = control.counts("binance")
        assert counts["by_api_key"]["key-a"]["private"] == 5  # 4 key-only market calls + 1
        assert counts["by_api_key"][NO_KEY] == {"public": 1, "private": 0}
        assert counts["private"] == 5
        with pytest.raises(Exception, match="unknown Balance field"):
            control.set_account("key-b", balances={"BTC": {"amount": 1}})
    finally:
        control.close()
