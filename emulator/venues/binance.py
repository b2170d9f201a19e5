"""Binance spot (``api.binance.com``) and USDⓈ-M futures (``fapi.binance.com``) endpoints.

Serves what ccxt 4.5.90 ``binance``/``binanceusdm`` call for load_markets, fetch_balance,
fetch_ticker(s) and fetch_positions -- including the key-only calls ccxt makes during
load_markets when an apiKey is set (``sapi/v1/capital/config/getall`` for currencies and
``sapi/v1/margin/allPairs`` + ``margin/isolated/allPairs`` because ``fetchMargins`` is on
by default).  ``dapi`` exchangeInfo answers with no markets so ccxt's default market types
(spot+linear+inverse) also load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..state import FIAT_CURRENCIES, Market, Position, State, Ticker
from .base import Request, Response, Route, Venue
from .wire import currency_name, fmt, now_ms, step_size, tick_size

SPOT_HOST = "api.binance.com"
USDM_HOST = "fapi.binance.com"
COINM_HOST = "dapi.binance.com"
PERPETUAL_DELIVERY_MS = 4133404800000
"""Binance's placeholder delivery date for perpetual contracts (ccxt keys on it)."""


def market_id(market: Market) -> str:
    return market.base + market.quote


def _error(code: int, msg: str, status: int = 400) -> Response:
    return Response.json({"code": code, "msg": msg}, status)


def _price_filters(ticker: Ticker | None) -> list[dict[str, object]]:
    last = ticker.last if ticker else None
    return [
        {
            "filterType": "PRICE_FILTER",
            "minPrice": tick_size(last),
            "maxPrice": "1000000.00",
            "tickSize": tick_size(last),
        },
        {
            "filterType": "LOT_SIZE",
            "minQty": step_size(last),
            "maxQty": "9000000.00",
            "stepSize": step_size(last),
        },
        {"filterType": "MARKET_LOT_SIZE", "minQty": "0", "maxQty": "1000000.00", "stepSize": "0"},
    ]


def _spot_symbol(market: Market, ticker: Ticker | None) -> dict[str, object]:
    return {
        "symbol": market_id(market),
        "status": "TRADING" if market.active else "BREAK",
        "baseAsset": market.base,
        "baseAssetPrecision": 8,
        "quoteAsset": market.quote,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "baseCommissionPrecision": 8,
        "quoteCommissionPrecision": 8,
        "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"],
        "icebergAllowed": True,
        "ocoAllowed": True,
        "quoteOrderQtyMarketAllowed": True,
        "allowTrailingStop": True,
        "cancelReplaceAllowed": True,
        "isSpotTradingAllowed": market.active,
        "isMarginTradingAllowed": False,
        "filters": [
            *_price_filters(ticker),
            {
                "filterType": "NOTIONAL",
                "minNotional": "5.00000000",
                "applyMinToMarket": True,
                "maxNotional": "9000000.00000000",
                "applyMaxToMarket": False,
                "avgPriceMins": 5,
            },
        ],
        "permissions": [],
        "permissionSets": [["SPOT"]],
        "defaultSelfTradePreventionMode": "EXPIRE_MAKER",
        "allowedSelfTradePreventionModes": ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
    }


def _usdm_symbol(market: Market, ticker: Ticker | None) -> dict[str, object]:
    return {
        "symbol": market_id(market),
        "pair": market_id(market),
        "contractType": "PERPETUAL",
        "deliveryDate": PERPETUAL_DELIVERY_MS,
        "onboardDate": 1569398400000,
        "status": "TRADING" if market.active else "SETTLING",
        "maintMarginPercent": "2.5000",
        "requiredMarginPercent": "5.0000",
        "baseAsset": market.base,
        "quoteAsset": market.quote,
        "marginAsset": market.settle,
        "pricePrecision": 2,
        "quantityPrecision": 3,
        "baseAssetPrecision": 8,
        "quotePrecision": 8,
        "underlyingType": "COIN",
        "underlyingSubType": [],
        "settlePlan": 0,
        "triggerProtect": "0.0500",
        "liquidationFee": "0.012500",
        "marketTakeBound": "0.05",
        "filters": _price_filters(ticker),
        "orderTypes": [
            "LIMIT",
            "MARKET",
            "STOP",
            "STOP_MARKET",
            "TAKE_PROFIT",
            "TAKE_PROFIT_MARKET",
            "TRAILING_STOP_MARKET",
        ],
        "timeInForce": ["GTC", "IOC", "FOK", "GTX", "GTD"],
    }


def _ticker_24hr(market: Market, ticker: Ticker, *, spot: bool) -> dict[str, object]:
    now = now_ms()
    last = ticker.last
    open_price = last / (1 + ticker.percentage / 100)
    out: dict[str, object] = {
        "symbol": market_id(market),
        "priceChange": fmt(round(last - open_price, 8)),
        "priceChangePercent": fmt(round(ticker.percentage, 3)),
        "weightedAvgPrice": fmt(last),
        "lastPrice": fmt(last),
        "lastQty": "0.01000000",
        "openPrice": fmt(round(open_price, 8)),
        "highPrice": fmt(round(max(last, open_price) * 1.01, 8)),
        "lowPrice": fmt(round(min(last, open_price) * 0.99, 8)),
        "volume": fmt(round(ticker.base_volume, 8)),
        "quoteVolume": fmt(round(ticker.quote_volume, 8)),
        "openTime": now - 86_400_000,
        "closeTime": now,
        "firstId": 1,
        "lastId": 1000,
        "count": 1000,
    }
    if spot:  # ccxt tells spot from contract tickers by the presence of bidQty
        out.update(
            {
                "prevClosePrice": fmt(round(open_price, 8)),
                "bidPrice": fmt(ticker.best_bid),
                "bidQty": "1.00000000",
                "askPrice": fmt(ticker.best_ask),
                "askQty": "1.00000000",
            }
        )
    return out


def _position_risk(position: Position, market: Market, mark: float) -> dict[str, object]:
    signed = position.contracts if position.side == "long" else -position.contracts
    notional = signed * mark
    initial = abs(notional) / position.leverage
    isolated = position.margin_mode == "isolated"
    return {
        "symbol": market_id(market),
        "positionSide": "BOTH",
        "positionAmt": fmt(signed),
        "entryPrice": fmt(position.entry_price),
        "breakEvenPrice": fmt(position.entry_price),
        "markPrice": fmt(mark),
        "unRealizedProfit": fmt(round((mark - position.entry_price) * signed, 8)),
        "liquidationPrice": "0",
        "isolatedMargin": fmt(round(initial, 8)) if isolated else "0",
        "notional": fmt(round(notional, 8)),
        "marginAsset": market.settle,
        "isolatedWallet": fmt(round(initial, 8)) if isolated else "0",
        "initialMargin": fmt(round(initial, 8)),
        "maintMargin": fmt(round(abs(notional) * 0.004, 8)),
        "positionInitialMargin": fmt(round(initial, 8)),
        "openOrderInitialMargin": "0",
        "adl": 1,
        "bidNotional": "0",
        "askNotional": "0",
        "updateTime": now_ms(),
        # v2 fields, harmless for v3 readers
        "leverage": str(position.leverage),
        "marginType": position.margin_mode,
        "maxNotionalValue": "1000000",
    }


class BinanceVenue(Venue):
    """All binance hosts; which markets a host lists depends on its product line."""

    hosts = (SPOT_HOST, USDM_HOST, COINM_HOST)

    def routes(self) -> Iterable[Route]:
        spot, usdm, coinm = SPOT_HOST, USDM_HOST, COINM_HOST
        return [
            Route("GET", f"{spot}/api/v3/ping", lambda r, s: Response.json({})),
            Route("GET", f"{spot}/api/v3/time", self.server_time),
            Route("GET", f"{spot}/api/v3/exchangeInfo", self.spot_exchange_info, market_list=True),
            Route("GET", f"{spot}/api/v3/ticker/24hr", self.spot_tickers),
            Route("GET", f"{spot}/api/v3/account", self.spot_account, private=True),
            Route(
                "GET",
                f"{spot}/sapi/v1/system/status",
                lambda r, s: Response.json({"status": 0, "msg": "normal"}),
            ),
            Route(
                "GET", f"{spot}/sapi/v1/capital/config/getall", self.capital_config, private=True
            ),
            Route("GET", f"{spot}/sapi/v1/margin/allPairs", self.margin_pairs, private=True),
            # No money moves in or out of an emulated account.
            Route("GET", f"{spot}/sapi/v1/capital/deposit/hisrec", _none, private=True),
            Route("GET", f"{spot}/sapi/v1/capital/withdraw/history", _none, private=True),
            Route(
                "GET", f"{spot}/sapi/v1/margin/isolated/allPairs", self.margin_pairs, private=True
            ),
            Route("GET", f"{usdm}/fapi/v1/ping", lambda r, s: Response.json({})),
            Route("GET", f"{usdm}/fapi/v1/time", self.server_time),
            Route("GET", f"{usdm}/fapi/v1/exchangeInfo", self.usdm_exchange_info, market_list=True),
            Route("GET", f"{usdm}/fapi/v1/ticker/24hr", self.usdm_tickers),
            Route("GET", f"{usdm}/fapi/v2/account", self.usdm_account, private=True),
            Route("GET", f"{usdm}/fapi/v3/account", self.usdm_account, private=True),
            Route("GET", f"{usdm}/fapi/v2/positionRisk", self.usdm_positions, private=True),
            Route("GET", f"{usdm}/fapi/v3/positionRisk", self.usdm_positions, private=True),
            Route("GET", f"{usdm}/fapi/v1/leverageBracket", self.usdm_brackets, private=True),
            Route(
                "GET", f"{coinm}/dapi/v1/exchangeInfo", self.coinm_exchange_info, market_list=True
            ),
        ]

    # --- errors in binance's {"code": ..., "msg": ...} format -------------------------

    def api_key(self, request: Request) -> str | None:
        return request.header("X-MBX-APIKEY")

    def auth_error(self, request: Request, reason: str) -> Response:
        if reason == "missing API key":
            return _error(-2014, "API-key format invalid.", 401)
        return _error(-2015, "Invalid API-key, IP, or permissions for action.", 401)

    def rate_limit_error(self, request: Request, retry_after: int) -> Response:
        return _error(
            -1003,
            "Too many requests; current limit of IP(127.0.0.1) is 6000 "
            "requests per minute. Please use the websocket for live updates to "
            "avoid polling the API.",
            429,
        )

    def handle(self, request: Request, state: State) -> Response:
        matched = self.match(request)
        signed = matched is not None and matched[0].private and self.api_key(request)
        if signed and not (request.param("signature") and request.param("timestamp")):
            return _error(
                -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed."
            )
        return super().handle(request, state)

    # --- helpers --------------------------------------------------------------------

    @staticmethod
    def _listed(request: Request, state: State, market_type: str) -> dict[str, Market]:
        kind = "swap" if market_type == "swap" else "spot"
        return {market_id(m): m for m in state.markets_for(request.exchange, kind)}

    def _tickers(self, request: Request, state: State, *, spot: bool) -> Response:
        listed = self._listed(request, state, "spot" if spot else "swap")
        single = request.param("symbol")
        wanted: list[str] | None = None
        if single is not None:
            wanted = [single]
        elif request.param("symbols") is not None:
            try:
                wanted = list(json.loads(request.param("symbols") or "[]"))
            except ValueError:
                return _error(-1100, "Illegal characters found in parameter 'symbols'.")
        ids = wanted if wanted is not None else list(listed)
        if any(i not in listed for i in ids):
            return _error(-1121, "Invalid symbol.")
        rows = [
            _ticker_24hr(listed[i], state.tickers[listed[i].symbol], spot=spot)
            for i in ids
            if listed[i].symbol in state.tickers
        ]
        if single is not None:
            return Response.json(rows[0]) if rows else _error(-1121, "Invalid symbol.")
        return Response.json(rows)

    @staticmethod
    def _exchange_info(symbols: list[dict[str, object]]) -> Response:
        return Response.json(
            {
                "timezone": "UTC",
                "serverTime": now_ms(),
                "rateLimits": [
                    {
                        "rateLimitType": "REQUEST_WEIGHT",
                        "interval": "MINUTE",
                        "intervalNum": 1,
                        "limit": 6000,
                    },
                ],
                "exchangeFilters": [],
                "symbols": symbols,
            }
        )

    # --- handlers -------------------------------------------------------------------

    def server_time(self, request: Request, state: State) -> Response:
        return Response.json({"serverTime": now_ms()})

    def spot_exchange_info(self, request: Request, state: State) -> Response:
        markets = state.markets_for(request.exchange, "spot")
        return self._exchange_info([_spot_symbol(m, state.tickers.get(m.symbol)) for m in markets])

    def usdm_exchange_info(self, request: Request, state: State) -> Response:
        markets = state.markets_for(request.exchange, "swap")
        return self._exchange_info([_usdm_symbol(m, state.tickers.get(m.symbol)) for m in markets])

    def coinm_exchange_info(self, request: Request, state: State) -> Response:
        return self._exchange_info([])

    def spot_tickers(self, request: Request, state: State) -> Response:
        return self._tickers(request, state, spot=True)

    def usdm_tickers(self, request: Request, state: State) -> Response:
        return self._tickers(request, state, spot=False)

    def spot_account(self, request: Request, state: State) -> Response:
        return Response.json(
            {
                "makerCommission": 10,
                "takerCommission": 10,
                "buyerCommission": 0,
                "sellerCommission": 0,
                "canTrade": True,
                "canWithdraw": True,
                "canDeposit": True,
                "brokered": False,
                "requireSelfTradePrevention": False,
                "preventSor": False,
                "updateTime": now_ms(),
                "accountType": "SPOT",
                "balances": [
                    {"asset": code, "free": fmt(b.free), "locked": fmt(b.used)}
                    for code, b in sorted(state.balances.items())
                ],
                "permissions": ["SPOT"],
                "uid": 100000001,
            }
        )

    def capital_config(self, request: Request, state: State) -> Response:
        coins = []
        for code in state.currencies_for(request.exchange):
            coins.append(
                {
                    "coin": code,
                    "name": currency_name(code),
                    "depositAllEnable": True,
                    "withdrawAllEnable": True,
                    "free": fmt(state.balances[code].free) if code in state.balances else "0",
                    "locked": fmt(state.balances[code].used) if code in state.balances else "0",
                    "freeze": "0",
                    "withdrawing": "0",
                    "ipoing": "0",
                    "ipoable": "0",
                    "storage": "0",
                    "isLegalMoney": code in FIAT_CURRENCIES,
                    "trading": True,
                    "networkList": [
                        {
                            "network": code if code not in ("USDT", "USDC") else "ETH",
                            "coin": code,
                            "withdrawIntegerMultiple": "0.00000001",
                            "isDefault": True,
                            "depositEnable": True,
                            "withdrawEnable": True,
                            "depositDesc": "",
                            "withdrawDesc": "",
                            "name": currency_name(code),
                            "resetAddressStatus": False,
                            "withdrawFee": "0.0001",
                            "withdrawMin": "0.001",
                            "withdrawMax": "9999999999.99999999",
                            "minConfirm": 1,
                            "unLockConfirm": 0,
                            "sameAddress": False,
                            "busy": False,
                        }
                    ],
                }
            )
        return Response.json(coins)

    def margin_pairs(self, request: Request, state: State) -> Response:
        """No margin trading in the emulated account: valid, empty pair lists."""
        return Response.json([])

    def usdm_account(self, request: Request, state: State) -> Response:
        now = now_ms()
        assets = [
            {
                "asset": code,
                "walletBalance": fmt(b.total),
                "unrealizedProfit": "0.00000000",
                "marginBalance": fmt(b.total),
                "maintMargin": "0.00000000",
                "initialMargin": fmt(b.used),
                "positionInitialMargin": fmt(b.used),
                "openOrderInitialMargin": "0.00000000",
                "crossWalletBalance": fmt(b.total),
                "crossUnPnl": "0.00000000",
                "availableBalance": fmt(b.free),
                "maxWithdrawAmount": fmt(b.free),
                "updateTime": now,
            }
            for code, b in sorted(state.futures_balances.items())
        ]
        total = sum(b.total for b in state.futures_balances.values())
        used = sum(b.used for b in state.futures_balances.values())
        return Response.json(
            {
                "totalInitialMargin": fmt(used),
                "totalMaintMargin": "0.00000000",
                "totalWalletBalance": fmt(total),
                "totalUnrealizedProfit": "0.00000000",
                "totalMarginBalance": fmt(total),
                "totalPositionInitialMargin": fmt(used),
                "totalOpenOrderInitialMargin": "0.00000000",
                "totalCrossWalletBalance": fmt(total),
                "totalCrossUnPnl": "0.00000000",
                "availableBalance": fmt(total - used),
                "maxWithdrawAmount": fmt(total - used),
                "assets": assets,
                "positions": [],
            }
        )

    def usdm_positions(self, request: Request, state: State) -> Response:
        listed = {m.symbol: m for m in state.markets_for(request.exchange, "swap")}
        wanted = request.param("symbol")
        rows = []
        for symbol, position in sorted(state.positions.items()):
            market = listed.get(symbol)
            if market is None or (wanted is not None and wanted != market_id(market)):
                continue
            ticker = state.tickers.get(symbol)
            mark = position.mark_price or (ticker.last if ticker else position.entry_price)
            rows.append(_position_risk(position, market, mark))
        return Response.json(rows)

    def usdm_brackets(self, request: Request, state: State) -> Response:
        return Response.json(
            [
                {
                    "symbol": market_id(m),
                    "notionalCoef": 1.0,
                    "brackets": [
                        {
                            "bracket": 1,
                            "initialLeverage": 125,
                            "notionalCap": 50_000,
                            "notionalFloor": 0,
                            "maintMarginRatio": 0.004,
                            "cum": 0.0,
                        },
                        {
                            "bracket": 2,
                            "initialLeverage": 100,
                            "notionalCap": 600_000,
                            "notionalFloor": 50_000,
                            "maintMarginRatio": 0.005,
                            "cum": 50.0,
                        },
                    ],
                }
                for m in state.markets_for(request.exchange, "swap")
            ]
        )


def _none(request: Request, state: State) -> Response:
    return Response.json([])
