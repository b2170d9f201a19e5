"""Coinbase (Advanced Trade ``/api/v3`` + Sign-In-With-Coinbase ``/v2``) endpoints.

ccxt 4.5.90 ``coinbase`` mixes both APIs: load_markets reads v2 currencies, crypto
currencies and exchange rates, then v3 public products (SPOT and FUTURE) plus the private
transaction summary when keys are set; fetch_balance defaults to v2 ``/accounts`` (option
``fetchBalance: 'v3PrivateGetBrokerageAccounts'`` or ``params={'v3': True}`` switches to v3
brokerage accounts, which ccxt follows with ``cursor``/``has_next``).  The two APIs also
answer errors differently, which ccxt maps differently -- both are reproduced here.
Derivative (FUTURE) products are served as an empty list: emulate derivatives with
binanceusdm.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..state import FIAT_CURRENCIES, Balance, Market, State
from .base import Request, Response, Route, Venue
from .wire import currency_name, fmt, iso_now, now_ms, stable_uuid, step_size, tick_size

HOST = "api.coinbase.com"
FIAT_USD_VALUE: dict[str, float] = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27}


def product_id(market: Market) -> str:
    return f"{market.base}-{market.quote}"


def _v2_errors(status: int, error_id: str, message: str) -> Response:
    return Response.json({"errors": [{"id": error_id, "message": message}]}, status)


def _is_v2(request: Request) -> bool:
    return request.path.startswith("/v2/")


def _product(market: Market, state: State) -> dict[str, object]:
    ticker = state.tickers.get(market.symbol)
    last = ticker.last if ticker else None
    disabled = not market.active
    return {
        "product_id": product_id(market),
        "price": fmt(last),
        "price_percentage_change_24h": fmt(ticker.percentage) if ticker else "",
        "volume_24h": fmt(round(ticker.base_volume, 8)) if ticker else "0",
        "volume_percentage_change_24h": "0",
        "base_increment": step_size(last),
        "quote_increment": tick_size(last),
        "quote_min_size": "1",
        "quote_max_size": "150000000",
        "base_min_size": step_size(last),
        "base_max_size": "100000000",
        "base_name": currency_name(market.base),
        "quote_name": currency_name(market.quote),
        "watched": False,
        "is_disabled": disabled,
        "new": False,
        "status": "offline" if disabled else "online",
        "cancel_only": False,
        "limit_only": False,
        "post_only": False,
        "trading_disabled": disabled,
        "auction_mode": False,
        "product_type": "SPOT",
        "quote_currency_id": market.quote,
        "base_currency_id": market.base,
        "fcm_trading_session_details": None,
        "mid_market_price": "",
        "alias": "",
        "alias_to": [],
        "base_display_symbol": market.base,
        "quote_display_symbol": market.quote,
        "view_only": False,
        "price_increment": tick_size(last),
        "display_name": product_id(market),
        "product_venue": "CBE",
        "approximate_quote_24h_volume": fmt(round(ticker.quote_volume, 2)) if ticker else "0",
        "new_at": "2023-01-01T00:00:00Z",
    }


def _v2_account(code: str, balance: Balance) -> dict[str, object]:
    account_id = stable_uuid("coinbase", "v2", code)
    fiat = code in FIAT_CURRENCIES
    return {
        "id": account_id,
        "name": f"{code} Wallet",
        "primary": code == "BTC",
        "type": "fiat" if fiat else "wallet",
        "currency": {
            "code": code,
            "name": currency_name(code),
            "color": "#0052FF",
            "sort_index": 100,
            "exponent": 2 if fiat else 8,
            "type": "fiat" if fiat else "crypto",
            "asset_id": stable_uuid("coinbase", "asset", code),
            "slug": currency_name(code).lower().replace(" ", "-"),
        },
        # v2 has no hold: the wallet amount is everything, ccxt reports it as free
        "balance": {"amount": fmt(balance.total), "currency": code},
        "created_at": "2023-01-04T06:20:06Z",
        "updated_at": "2023-01-04T06:20:07Z",
        "resource": "account",
        "resource_path": f"/v2/accounts/{account_id}",
        "allow_deposits": True,
        "allow_withdrawals": True,
    }


def _v3_account(code: str, balance: Balance) -> dict[str, object]:
    fiat = code in FIAT_CURRENCIES
    return {
        "uuid": stable_uuid("coinbase", "v3", code),
        "name": f"{code} Wallet",
        "currency": code,
        "available_balance": {"value": fmt(balance.free), "currency": code},
        "default": True,
        "active": True,
        "created_at": "2023-01-04T06:20:06.456Z",
        "updated_at": "2023-01-04T06:20:07.181Z",
        "deleted_at": None,
        "type": "ACCOUNT_TYPE_FIAT" if fiat else "ACCOUNT_TYPE_CRYPTO",
        "ready": True,
        "hold": {"value": fmt(balance.used), "currency": code},
        "retail_portfolio_id": stable_uuid("coinbase", "portfolio"),
        "platform": "ACCOUNT_PLATFORM_CONSUMER",
    }


def _page_start(ids: list[str], after: str | None) -> int:
    """Index following the account id ``after`` (unknown/absent cursor = first page)."""
    return ids.index(after) + 1 if after in ids else 0


class CoinbaseVenue(Venue):
    hosts = (HOST,)

    def routes(self) -> Iterable[Route]:
        v2, v3 = f"{HOST}/v2", f"{HOST}/api/v3/brokerage"
        return [
            Route("GET", f"{v2}/time", self.v2_time),
            Route("GET", f"{v2}/currencies", self.v2_fiat_currencies),
            Route("GET", f"{v2}/currencies/crypto", self.v2_crypto_currencies),
            Route("GET", f"{v2}/exchange-rates", self.v2_exchange_rates),
            Route("GET", f"{v2}/prices/{{product_id}}/{{side}}", self.v2_price),
            Route("GET", f"{v2}/accounts", self.v2_accounts, private=True),
            Route("GET", f"{v3}/time", self.v3_time),
            Route("GET", f"{v3}/market/products", self.products, market_list=True),
            Route("GET", f"{v3}/products", self.products, private=True, market_list=True),
            Route("GET", f"{v3}/market/products/{{product_id}}/ticker", self.product_ticker),
            Route("GET", f"{v3}/products/{{product_id}}/ticker", self.product_ticker, private=True),
            Route("GET", f"{v3}/transaction_summary", self.transaction_summary, private=True),
            Route("GET", f"{v3}/accounts", self.v3_accounts, private=True),
        ]

    # --- errors: v2 speaks {"errors": [...]}, v3 answers plain text ---------------------

    def api_key(self, request: Request) -> str | None:
        key = request.header("CB-ACCESS-KEY")
        if key:
            return key
        auth = request.header("Authorization") or ""
        return auth[len("Bearer ") :] if auth.startswith("Bearer ") else None

    def auth_error(self, request: Request, reason: str) -> Response:
        if _is_v2(request):
            return _v2_errors(401, "authentication_error", "invalid api key")
        return Response.text("Unauthorized\n", 401)

    def rate_limit_error(self, request: Request, retry_after: int) -> Response:
        if _is_v2(request):
            return _v2_errors(429, "rate_limit_exceeded", "Too many requests")
        return Response.text("Too Many Requests\n", 429)

    def not_found(self, request: Request) -> Response:
        if _is_v2(request):
            return _v2_errors(404, "not_found", "Not found")
        return Response.text("404 page not found\n", 404)

    # --- helpers --------------------------------------------------------------------

    @staticmethod
    def _spot(request: Request, state: State) -> dict[str, Market]:
        return {product_id(m): m for m in state.markets_for(request.exchange, "spot")}

    @staticmethod
    def _usd_value(code: str, state: State) -> float | None:
        return FIAT_USD_VALUE.get(code) or state.usd_price(code)

    # --- v2 -------------------------------------------------------------------------

    def v2_time(self, request: Request, state: State) -> Response:
        return Response.json({"data": {"epoch": now_ms() // 1000, "iso": iso_now()}})

    def v2_fiat_currencies(self, request: Request, state: State) -> Response:
        codes = sorted(
            FIAT_CURRENCIES
            | {c for c in state.currencies_for(request.exchange) if c in FIAT_CURRENCIES}
        )
        return Response.json(
            {
                "data": [
                    {"id": code, "name": currency_name(code), "min_size": "0.01"} for code in codes
                ]
            }
        )

    def v2_crypto_currencies(self, request: Request, state: State) -> Response:
        codes = [c for c in state.currencies_for(request.exchange) if c not in FIAT_CURRENCIES]
        return Response.json(
            {
                "data": [
                    {
                        "asset_id": stable_uuid("coinbase", "asset", code),
                        "code": code,
                        "name": currency_name(code),
                        "color": "#0052FF",
                        "sort_index": index,
                        "exponent": 8,
                        "type": "crypto",
                        "address_regex": "^.+$",
                    }
                    for index, code in enumerate(codes)
                ]
            }
        )

    def v2_exchange_rates(self, request: Request, state: State) -> Response:
        base = (request.param("currency") or "USD").upper()
        base_value = self._usd_value(base, state)
        rates: dict[str, str] = {}
        for code in sorted(FIAT_CURRENCIES | set(state.currencies_for(request.exchange))):
            value = self._usd_value(code, state)
            if value and base_value:
                rates[code] = fmt(round(base_value / value, 12))
        return Response.json({"data": {"currency": base, "rates": rates}})

    def v2_price(self, request: Request, state: State) -> Response:
        market = self._spot(request, state).get(request.param("product_id") or "")
        ticker = state.tickers.get(market.symbol) if market else None
        if market is None or ticker is None:
            return _v2_errors(404, "not_found", "Invalid currency pair")
        side = request.param("side")
        price = {"buy": ticker.best_ask, "sell": ticker.best_bid}.get(side or "", ticker.last)
        return Response.json(
            {"data": {"base": market.base, "currency": market.quote, "amount": fmt(price)}}
        )

    def v2_accounts(self, request: Request, state: State) -> Response:
        accounts = [_v2_account(code, b) for code, b in sorted(state.balances.items())]
        ids = [str(a["id"]) for a in accounts]
        limit = min(int(request.param("limit") or 25), state.account_page_size)
        after = request.param("starting_after")
        start = _page_start(ids, after)
        page = accounts[start : start + limit]
        more = start + limit < len(accounts)
        next_after = str(page[-1]["id"]) if more and page else None
        return Response.json(
            {
                "pagination": {
                    "ending_before": None,
                    "starting_after": after,
                    "previous_ending_before": None,
                    "next_starting_after": next_after,
                    "limit": limit,
                    "order": "desc",
                    "previous_uri": None,
                    "next_uri": (
                        f"/v2/accounts?limit={limit}&starting_after={next_after}"
                        if next_after
                        else None
                    ),
                },
                "data": page,
            }
        )

    # --- v3 -------------------------------------------------------------------------

    def v3_time(self, request: Request, state: State) -> Response:
        now = now_ms()
        return Response.json(
            {"iso": iso_now(), "epochSeconds": str(now // 1000), "epochMillis": str(now)}
        )

    def products(self, request: Request, state: State) -> Response:
        if (request.param("product_type") or "SPOT").upper() != "SPOT":
            return Response.json({"products": [], "num_products": 0})
        markets = self._spot(request, state)
        wanted = request.params("product_ids")
        chosen = [markets[i] for i in wanted if i in markets] if wanted else markets.values()
        products = [_product(m, state) for m in chosen]
        return Response.json({"products": products, "num_products": len(products)})

    def product_ticker(self, request: Request, state: State) -> Response:
        market = self._spot(request, state).get(request.param("product_id") or "")
        if market is None:
            return Response.json(
                {
                    "error": "NOT_FOUND",
                    "error_details": "product not found",
                    "message": "product not found",
                },
                404,
            )
        ticker = state.tickers.get(market.symbol)
        trades = []
        if ticker is not None:
            trades.append(
                {
                    "trade_id": str(now_ms()),
                    "product_id": product_id(market),
                    "price": fmt(ticker.last),
                    "size": "0.01",
                    "time": iso_now(),
                    "side": "BUY",
                    "bid": "",
                    "ask": "",
                    "exchange": "coinbase",
                }
            )
        return Response.json(
            {
                "trades": trades,
                "best_bid": fmt(ticker.best_bid if ticker else None),
                "best_ask": fmt(ticker.best_ask if ticker else None),
            }
        )

    def transaction_summary(self, request: Request, state: State) -> Response:
        return Response.json(
            {
                "total_volume": 0,
                "total_fees": 0,
                "fee_tier": {
                    "pricing_tier": "Advanced 1",
                    "usd_from": "0",
                    "usd_to": "1000",
                    "taker_fee_rate": "0.012",
                    "maker_fee_rate": "0.006",
                    "aop_from": "",
                    "aop_to": "",
                },
                "margin_rate": None,
                "goods_and_services_tax": None,
                "advanced_trade_only_volume": 0,
                "advanced_trade_only_fees": 0,
                "coinbase_pro_volume": 0,
                "coinbase_pro_fees": 0,
                "total_balance": "",
                "has_promo_fee": False,
            }
        )

    def v3_accounts(self, request: Request, state: State) -> Response:
        accounts = [_v3_account(code, b) for code, b in sorted(state.balances.items())]
        ids = [str(a["uuid"]) for a in accounts]
        limit = min(int(request.param("limit") or 49), state.account_page_size)
        start = _page_start(ids, request.param("cursor"))
        page = accounts[start : start + limit]
        has_next = start + limit < len(accounts)
        return Response.json(
            {
                "accounts": page,
                "has_next": has_next,
                "cursor": str(page[-1]["uuid"]) if has_next and page else "",
                "size": len(page),
            }
        )
