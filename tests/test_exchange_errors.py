"""Failure reasons: what an operator reads in UNKNOWN summaries and in the error log."""

from __future__ import annotations

import ccxt
import pytest

from sources.exchange.client import ReadFailure
from sources.exchange.errors import describe
from sources.exchange.responses import InvalidResponse


def _reason(cause, status=None, retry_after=None):
    return describe(ReadFailure("fetch_balance", cause, status, retry_after), 3000, ()).reason


@pytest.mark.parametrize(
    ("cause", "status", "reason"),
    [
        (ccxt.AuthenticationError("x"), 401, "API key rejected"),
        (ccxt.PermissionDenied("x"), 403, "API key rejected"),
        (ccxt.DDoSProtection("binance -2015"), 401, "API key rejected"),  # ccxt's 'ban'
        (ccxt.DDoSProtection("x"), 429, "rate limited"),
        (ccxt.RateLimitExceeded("x"), 429, "rate limited"),
        (ccxt.RequestTimeout("x"), None, "no answer within the timeout (3000 ms)"),
        (ccxt.OnMaintenance("x"), 503, "exchange not available (outage or maintenance) (HTTP 503)"),
        (ccxt.NetworkError("x"), None, "network error"),
        (ccxt.BadRequest("x"), 400, "the exchange refused the request (HTTP 400)"),
        (InvalidResponse("no tickers"), 200, "malformed or empty response: no tickers"),
        (AttributeError("'str' object has no attribute 'get'"), 200, "malformed response"),
    ],
)
def test_reasons(cause, status, reason):
    assert _reason(cause, status).startswith(reason)


@pytest.mark.parametrize(
    ("cause", "status", "stops"),
    [
        (ccxt.RateLimitExceeded("x"), 429, True),
        (ccxt.DDoSProtection("x"), 401, True),
        (ccxt.AuthenticationError("x"), 401, True),
        (ccxt.RequestTimeout("x"), None, True),
        (ccxt.ExchangeNotAvailable("x"), 503, True),
        (ccxt.BadSymbol("x"), 400, False),
        (InvalidResponse("empty"), 200, False),
        (AttributeError("x"), 200, False),
    ],
)
def test_which_failures_stop_the_cycle(cause, status, stops):
    failure = ReadFailure("fetch_tickers", cause, status, None)
    assert describe(failure, 3000, ()).stops_cycle is stops


def test_retry_after_is_reported():
    assert _reason(ccxt.RateLimitExceeded("x"), 429, "7") == "rate limited (Retry-After: 7 s)"


def test_detail_has_no_secret_and_no_query_string():
    cause = ccxt.ExchangeNotAvailable(
        "binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=abcdef 503\n"
        "<html><body>key K3Y-S3CR3T-VALUE rejected</body></html>" + "x" * 500
    )
    described = describe(ReadFailure("fetch_balance", cause, 503, None), 3000, {"K3Y-S3CR3T-VALUE"})
    assert described.code == "ExchangeNotAvailable"
    assert "signature" not in described.detail and "K3Y-S3CR3T-VALUE" not in described.detail
    assert "\n" not in described.detail and len(described.detail) <= 163
    assert described.detail.startswith("binance GET https://api.binance.com/api/v3/account?...")
