"""Spot or derivatives: the operator's setting, else the bot's symbols, else ccxt's default."""

from __future__ import annotations

from sources.exchange.account import decide


def test_the_operator_setting_wins():
    account = decide(False, ["BTC/USDT:USDT"], "swap")
    assert (account.derivatives, account.source) == (False, "exchange.derivatives")
    assert account.default_type == "spot"


def test_contract_symbols_mean_derivatives_before_ccxt_default():
    account = decide(None, ["BTC/USDT:USDT", "ETH/USDC:USDC", "BTC/USD:BTC-231229"], "spot")
    assert account.derivatives and account.default_type == "swap"
    assert account.settle == ("BTC", "USDC", "USDT")
    assert account.source.startswith("the bot's contract symbols (BTC/USD:BTC-231229")


def test_plain_pairs_mean_spot_before_ccxt_default():
    account = decide(None, ["BTC/USDT"], "swap")  # bybit's ccxt default
    assert not account.derivatives and account.source == "the bot's spot symbols (BTC/USDT)"


def test_a_bot_holding_nothing_follows_ccxt():
    assert decide(None, [], "swap").derivatives
    assert not decide(None, [], None).derivatives


def test_a_class_that_trades_one_kind_decides_it():
    account = decide(None, ["BTC/USDT"], "swap", trades=(False, True))  # binanceusdm
    assert account.derivatives and account.source == "the exchange class trades derivatives only"
    assert not decide(None, ["BTC/USD:USD"], None, trades=(True, False)).derivatives  # kraken
    assert not decide(False, [], "swap", trades=(False, True)).derivatives  # the operator's
