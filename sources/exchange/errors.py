"""Turn a failed read into a reason an operator can act on, with no secret in it.

The reason is the UNKNOWN text of every check that needed the call, and the message of the
runner's `api_error` event in the error log. ccxt's own text is kept as a short detail, with
query strings (signatures, timestamps) and every configured secret removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sources.exchange.client import ReadFailure
from sources.exchange.responses import InvalidResponse

_DETAIL_CHARS = 160
_QUERY = re.compile(r"\?\S*")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Described:
    reason: str  # "rate limited (Retry-After: 5 s)"
    code: str  # the exception class: "DDoSProtection", "InvalidResponse"
    detail: str  # ccxt's text, scrubbed and cut short
    # The exchange is not answering us (key, rate limit, outage, network): asking again in
    # the same cycle would only cost time, or deepen a rate-limit ban.
    stops_cycle: bool


def describe(failure: ReadFailure, timeout_ms: int, secrets: Iterable[str]) -> Described:
    import ccxt

    cause = failure.cause
    return Described(
        _reason(failure, timeout_ms),
        type(cause).__name__,
        _scrub(str(cause), secrets),
        isinstance(cause, ccxt.NetworkError | ccxt.AuthenticationError)
        or failure.status in (401, 403, 429),
    )


def _reason(failure: ReadFailure, timeout_ms: int) -> str:
    import ccxt

    cause, status = failure.cause, failure.status
    if isinstance(cause, InvalidResponse):
        return f"malformed or empty response: {cause}"
    if isinstance(cause, ccxt.AuthenticationError) or status in (401, 403):
        return "API key rejected (check the key, its read permission and IP allow-list)"
    if isinstance(cause, ccxt.RateLimitExceeded | ccxt.DDoSProtection) or status == 429:
        wait = f" (Retry-After: {failure.retry_after} s)" if failure.retry_after else ""
        return f"rate limited{wait}"
    if isinstance(cause, ccxt.RequestTimeout):
        return f"no answer within the timeout ({timeout_ms} ms)"
    if isinstance(cause, ccxt.ExchangeNotAvailable):
        return "exchange not available (outage or maintenance)" + _status(status)
    if isinstance(cause, ccxt.NetworkError):
        return "network error" + _status(status)
    if isinstance(cause, ccxt.BaseError):
        return "the exchange refused the request" + _status(status)
    return f"malformed response: ccxt could not parse it ({type(cause).__name__})"


def _status(status: int | None) -> str:
    return f" (HTTP {status})" if status else ""


def _scrub(text: str, secrets: Iterable[str]) -> str:
    text = _SPACE.sub(" ", _QUERY.sub("?...", text)).strip()
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text[:_DETAIL_CHARS] + ("..." if len(text) > _DETAIL_CHARS else "")
