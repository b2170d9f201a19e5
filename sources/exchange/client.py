"""The only door to ccxt: a client that can read and do nothing else.

`ReadOnlyExchange` keeps the ccxt instance private and offers exactly the read calls
alert-matrix needs (`READ_METHODS`); there is no way through it to create or cancel an order,
withdraw or transfer. Each call also checks that the answer was JSON: ccxt parses a 200 with
an HTML or cut-off body as "nothing" (an empty balance, no positions), which must never pass
for data. ccxt is imported only when a client is built, so file-only checks never pay for it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from config.models import ExchangeSettings
from sources.errors import SourceError
from sources.exchange.account import AccountType, decide, position_queries
from sources.exchange.responses import InvalidResponse

READ_METHODS = (
    "load_markets",
    "fetch_balance",
    "fetch_tickers",
    "fetch_spot_tickers",  # ccxt's fetch_tickers, asked for the spot markets
    "fetch_positions",
    "fetch_deposits_withdrawals",  # ccxt's fetch_deposits and fetch_withdrawals (reads)
)
# Account modes ccxt asks the exchange for once per process (bybit's unified account, kucoin's
# hf and unified modes, gate's and bitget's unified account), kept with the stored markets.
LEARNED_OPTIONS = (
    "enableUnifiedMargin",
    "enableUnifiedAccount",
    "unifiedMarginStatus",
    "hf",
    "uta",
    "unifiedAccount",
)


class ReadFailure(Exception):
    """A read call failed; carries what the error text alone cannot tell (HTTP status,
    Retry-After), captured under the client's lock so concurrent cycles cannot mix them."""

    def __init__(
        self, method: str, cause: BaseException, status: int | None, retry_after: str | None
    ) -> None:
        super().__init__(f"{method}: {type(cause).__name__}: {cause}")
        self.method = method
        self.cause = cause
        self.status = status
        self.retry_after = retry_after


@dataclass
class _LastResponse:
    status: int | None = None


class ReadOnlyExchange:
    """A ccxt client reduced to its read calls; one call at a time (ccxt is not thread-safe)."""

    __slots__ = ("__client", "__last", "__lock", "account", "derivatives", "id", "timeout_ms")

    def __init__(self, client: Any, account: AccountType) -> None:
        self.__client = client
        self.__lock = threading.Lock()
        self.__last = _LastResponse()
        self.id: str = client.id
        self.timeout_ms: int = client.timeout
        self.account = account
        self.derivatives = account.derivatives
        client.enableLastJsonResponse = True
        _record_status(client, self.__last)

    def load_markets(self, stored: Mapping[str, Any] | None = None) -> Any:
        """Always a fresh list: the TTL is ours, and an empty list must never stick in ccxt.
        With `stored` (a `stored_markets()` of an earlier process) nothing is asked: ccxt
        takes that list, as if it had loaded it."""
        if stored is None:
            return self.__read("load_markets", True)
        with self.__lock:
            client = self.__client
            for key, value in (stored.get("options") or {}).items():
                if client.options.get(key) is None:  # the configuration's own value wins
                    client.options[key] = value
            return client.set_markets(stored["markets"], stored.get("currencies"))

    def stored_markets(self) -> dict[str, Any]:
        """What a later process needs to skip `load_markets`: ccxt's markets and currencies,
        and the account modes ccxt found out with its first calls (`LEARNED_OPTIONS`)."""
        with self.__lock:
            client = self.__client
            learned = {key: client.options[key] for key in LEARNED_OPTIONS if key in client.options}
            return {"markets": client.markets, "currencies": client.currencies, "options": learned}

    def fetch_balance(self) -> Any:
        return self.__read("fetch_balance")

    def fetch_tickers(self) -> Any:
        return self.__read("fetch_tickers")

    def fetch_spot_tickers(self) -> Any:
        """The spot tickers, whatever the account's kind: what prices a derivatives
        account's coin that no contract is listed for (okx's OKB)."""
        return self.__read("fetch_tickers", None, {"type": "spot"})

    def fetch_positions(self) -> Any:
        """Every open position: one call per settle currency where the exchange needs it."""
        positions: list[Any] = []
        for params in position_queries(self.id, self.account.settle):
            answer = self.__read("fetch_positions", None, params)
            if not isinstance(answer, list):
                return answer  # not a list: let validation refuse it
            positions += answer
        return positions

    def fetch_deposits_withdrawals(self) -> Any:
        """The account's recent deposits and withdrawals (ccxt's default window)."""
        deposits = self.__read("fetch_deposits")
        withdrawals = self.__read("fetch_withdrawals")
        if not isinstance(deposits, list) or not isinstance(withdrawals, list):
            return None  # let validation refuse it
        return deposits + withdrawals

    def __read(self, method: str, *args: Any) -> Any:
        with self.__lock:
            client = self.__client
            client.last_json_response = None
            self.__last.status = None
            try:
                result = getattr(client, method)(*args)
                if client.last_json_response is None:
                    raise InvalidResponse(
                        "the answer was not JSON (an HTML page or a cut-off body?)"
                    )
            except Exception as error:  # ccxt also fails with plain Python errors
                headers = client.last_response_headers or {}
                raise ReadFailure(
                    method, error, self.__last.status, headers.get("Retry-After")
                ) from error
            return result


def _record_status(client: Any, last: _LastResponse) -> None:
    """Remember each response's HTTP status: ccxt reports some 401s as a ban (binance -2015
    after a successful call), and the status tells a rejected key from rate limiting."""
    original = client.on_rest_response

    def on_rest_response(code: int, *rest: Any) -> Any:
        last.status = code
        return original(code, *rest)

    client.on_rest_response = on_rest_response


def build_client(settings: ExchangeSettings, symbols: Iterable[str] = ()) -> ReadOnlyExchange:
    """A read-only client for `exchange.id`, built from `exchange.config`, reading the kind of
    account (`account.decide`) the operator set or the bot's `symbols` show."""
    if settings.id is None:
        raise SourceError("no exchange configured: set exchange.id in app.yaml")
    import ccxt

    if settings.id not in ccxt.exchanges:
        raise SourceError(f"exchange.id: ccxt has no exchange {settings.id!r}")
    exchange_class = getattr(ccxt, settings.id)
    config = copy.deepcopy(settings.config)
    if settings.recommended_options:
        options = config.get("options") or {}
        config["options"] = {**recommended_options(exchange_class), **options}
    try:
        client = exchange_class(config)
    except Exception as error:  # noqa: BLE001 - a bad config must read as UNKNOWN, not crash
        raise SourceError(
            f"exchange.config: ccxt could not build a {settings.id} client: {type(error).__name__}"
        ) from None
    _share_descriptions(client)
    trades = (client.has.get("spot") is not False, bool(client.has.get("swap")))
    account = decide(settings.derivatives, symbols, client.options.get("defaultType"), trades)
    if all(trades) and "defaultType" not in (settings.config.get("options") or {}):
        client.options["defaultType"] = account.default_type
    return ReadOnlyExchange(client, account)


# ccxt copies its exchange's description tables into every client it builds (binance: a
# 180 KB endpoint table, 0.27 MB a client in all); they are read, never changed, after the
# client is built. Clients of one exchange share the first one's (a fleet of 500 binance
# accounts: about 100 MB less), unless their configuration changed them.
_SHARED_TABLES = ("api", "exceptions", "features")
_first_tables: dict[type, dict[str, Any]] = {}
_tables_lock = threading.Lock()


def _share_descriptions(client: Any) -> None:
    with _tables_lock:
        first = _first_tables.setdefault(
            type(client), {name: getattr(client, name) for name in _SHARED_TABLES}
        )
    for name, table in first.items():
        if table is not getattr(client, name) and table == getattr(client, name):
            setattr(client, name, table)


def recommended_options(exchange_class: type) -> Mapping[str, Any]:
    """ccxt options that make reading cheaper or complete; `exchange.config` wins over them.

    binance family: no currency list and no margin pair lists in `load_markets` (1 request
    instead of 5 with a key; alert-matrix needs neither). coinbase: balances from the v3
    brokerage accounts, which follow pagination (the v2 default stops at 250 accounts).
    """
    import ccxt

    if issubclass(exchange_class, ccxt.binance):
        return {"fetchCurrencies": False, "fetchMargins": False}
    if issubclass(exchange_class, ccxt.coinbase):
        return {"fetchBalance": "v3PrivateGetBrokerageAccounts"}
    return {}
