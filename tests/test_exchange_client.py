"""Read-only by construction: the wrapper offers the read calls and nothing else, and no
code in the project calls a ccxt method that trades or moves funds."""

from __future__ import annotations

import re

import ccxt
import pytest

from config.models import ExchangeSettings
from sources.errors import SourceError
from sources.exchange.client import READ_METHODS, build_client, recommended_options
from tests.conftest import ROOT

WRITE_METHODS = (
    "create_order",
    "create_market_buy_order",
    "create_limit_sell_order",
    "cancel_order",
    "cancel_all_orders",
    "edit_order",
    "withdraw",
    "transfer",
    "set_leverage",
    "set_margin_mode",
    "borrow_cross_margin",
    "close_position",
)
# Any call of a ccxt method that trades, moves funds or changes account settings, in either
# spelling (create_order / createOrder): matched on the line lowercased, underscores removed.
_WRITE_CALL = re.compile(
    r"\.(create\w*order|cancel\w*order|edit\w*order|withdraw|transfer|borrow|repay|addmargin"
    r"|reducemargin|setleverage|setmarginmode|setpositionmode|closeposition|closeallpositions)"
    r"\w*\s*\("
)


def _calls_a_write_method(line: str) -> bool:
    return bool(_WRITE_CALL.search(line.lower().replace("_", "")))


def _client(exchange_id="binance", **settings):
    config = {"apiKey": "key", "secret": "secret"}
    return build_client(ExchangeSettings(id=exchange_id, config=config, **settings))


def test_only_read_calls_are_offered():
    client = _client()
    public = {name for name in dir(client) if not name.startswith("_")}
    local = {"stored_markets"}  # no request: what ccxt holds, for the markets cache
    assert public == {*READ_METHODS, *local, "id", "timeout_ms", "account", "derivatives"}
    assert set(READ_METHODS) == {
        "load_markets",
        "fetch_balance",
        "fetch_tickers",
        "fetch_spot_tickers",  # ccxt's fetch_tickers for the spot markets: a read
        "fetch_positions",
        "fetch_deposits_withdrawals",  # ccxt's fetch_deposits + fetch_withdrawals: reads
    }


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_write_methods_cannot_be_reached(method):
    client = _client()
    assert hasattr(ccxt.binance, method)  # it exists on the ccxt client...
    with pytest.raises(AttributeError):
        getattr(client, method)  # ...and not through the wrapper
    with pytest.raises(AttributeError):
        setattr(client, method, lambda *args: None)  # nor can it be added to it


def test_no_code_in_the_project_calls_a_write_method():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "tests", "build"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if _calls_a_write_method(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def test_the_grep_would_see_a_write_call():
    assert _calls_a_write_method("exchange.create_order('BTC/USDT', 'market', 'buy', 1)")
    assert _calls_a_write_method("client.cancelAllOrders ()")
    assert _calls_a_write_method("client.withdraw('BTC', 1, address)")
    assert not _calls_a_write_method("client.fetch_balance()")
    assert not _calls_a_write_method("op.create_table('error_events')")


def test_configuration_errors_are_source_errors():
    with pytest.raises(SourceError, match=r"no exchange configured: set exchange\.id"):
        build_client(ExchangeSettings())
    with pytest.raises(SourceError, match="ccxt has no exchange 'binanc'"):
        _client("binanc")
    with pytest.raises(SourceError, match="ccxt has no exchange 'Exchange'"):
        _client("Exchange")


def test_derivatives_from_default_type_or_configuration():
    assert _client("binance").derivatives is False
    assert _client("binanceusdm").derivatives is True
    assert _client("coinbase").derivatives is False
    assert _client("binance", derivatives=True).derivatives is True
    options = {"apiKey": "k", "secret": "s", "options": {"defaultType": "future"}}
    assert build_client(ExchangeSettings(id="binance", config=options)).derivatives is True


def test_recommended_options():
    assert recommended_options(ccxt.binance) == {"fetchCurrencies": False, "fetchMargins": False}
    assert recommended_options(ccxt.binanceusdm) == recommended_options(ccxt.binance)
    assert recommended_options(ccxt.coinbase) == {"fetchBalance": "v3PrivateGetBrokerageAccounts"}
    assert recommended_options(ccxt.kraken) == {}


def test_the_configuration_is_not_changed():
    settings = ExchangeSettings(id="binance", config={"options": {"fetchMargins": True}})
    build_client(settings)
    assert settings.config == {"options": {"fetchMargins": True}}


def test_clients_of_one_exchange_share_its_description_tables():
    """A fleet of 500 binance accounts would hold 500 copies of ccxt's 180 KB endpoint table."""
    first, second = (
        build_client(ExchangeSettings(id="binance", config={"apiKey": key, "secret": "s"}))
        for key in ("key-a", "key-b")
    )
    assert first._ReadOnlyExchange__client.api is second._ReadOnlyExchange__client.api
    own_errors = {"exact": {"-9999": "ExchangeNotAvailable"}, "broad": {}}
    third = build_client(ExchangeSettings(id="binance", config={"exceptions": own_errors}))
    errors = third._ReadOnlyExchange__client.exceptions
    assert errors is not first._ReadOnlyExchange__client.exceptions
    assert errors["exact"]["-9999"] == "ExchangeNotAvailable"  # its own configuration kept
    assert second._ReadOnlyExchange__client.apiKey == "key-b"  # credentials never shared
