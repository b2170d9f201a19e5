"""Build ccxt constructor configs whose every API URL points at the emulator.

Generic over exchanges: take the class's default ``urls['api']`` (a str or nested dict)
and rewrite ``https://api.binance.com/api/v3`` to
``http://127.0.0.1:PORT/binance/api.binance.com/api/v3`` -- ccxt id, then the original
host as path segments, so the server routes by host and attributes by id.

Error mapping: binance picks a per-product exception table by URL prefix
(``get_exceptions_by_url`` tests ``url.startswith('https://api.binance.com/')``), which a
rewritten URL never matches.  So the config folds that table (``spot`` for ``binance``,
``linear`` for ``binanceusdm``) into the generic one; otherwise e.g. spot ``-1008`` would
be ``ExchangeError`` here but ``OperationFailed`` against the real exchange.

Credentials: binance signs with HMAC-SHA256 for any plain secret; coinbase treats a secret
that is 88 chars long, ends with ``=`` or starts with ``-----BEGIN`` as a CDP (JWT/ES256)
key, anything else as a legacy HMAC key -- the default ``test-secret`` is the latter, so no
extra crypto is involved.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import ccxt

DEFAULT_OPTIONS: dict[str, dict[str, Any]] = {
    # spot only: skips fapi/dapi exchangeInfo; currencies (sapi capital/config/getall) and
    # margin pair lists (fetchMargins) stay on, as in a default production config.
    "binance": {"defaultType": "spot", "fetchMarkets": {"types": ["spot"]}},
    # ccxt defaults already say swap/linear; spelled out so the intent is visible.
    "binanceusdm": {"defaultType": "swap", "fetchMarkets": {"types": ["linear"]}},
    "coinbase": {},
}

EXCEPTION_SCOPE: dict[str, str] = {"binance": "spot", "binanceusdm": "linear"}
"""ccxt id -> the per-product ``exceptions`` table its URLs would select on the real host."""


def rewrite_urls(urls: Any, base_url: str, exchange_id: str) -> Any:
    """Recursively map every ``scheme://host/path`` string to the emulator."""
    if isinstance(urls, dict):
        return {key: rewrite_urls(value, base_url, exchange_id) for key, value in urls.items()}
    if isinstance(urls, list):
        return [rewrite_urls(value, base_url, exchange_id) for value in urls]
    if isinstance(urls, str) and "://" in urls:
        parts = urlsplit(urls)
        return f"{base_url.rstrip('/')}/{exchange_id}/{parts.netloc}{parts.path}"
    return urls


@cache
def _defaults(exchange_id: str) -> ccxt.Exchange:
    """A throwaway instance to read default urls/exceptions from (cached per id)."""
    exchange_class = getattr(ccxt, exchange_id, None)
    if exchange_class is None:
        raise ValueError(f"ccxt has no exchange {exchange_id!r}")
    return exchange_class()


def scoped_exceptions(exchange_id: str) -> dict[str, Any]:
    """The per-product exception table to fold into the generic one ({} if none)."""
    scope = EXCEPTION_SCOPE.get(exchange_id)
    table = _defaults(exchange_id).exceptions.get(scope, {}) if scope else {}
    return {kind: dict(table[kind]) for kind in ("exact", "broad") if table.get(kind)}


def ccxt_config_for(
    exchange_id: str,
    base_url: str,
    api_key: str | None = "test-key",
    secret: str | None = "test-secret",
    *,
    timeout_ms: int = 5000,
    enable_rate_limit: bool = False,
    options: dict[str, Any] | None = None,
    with_exceptions: bool = True,
) -> dict[str, Any]:
    """Config dict to pass as-is to ``getattr(ccxt, exchange_id)(config)``.

    ``api_key=None`` builds a key-less client (public endpoints only).  ``options`` are
    merged over the emulator defaults one level deep.  Rate limiting is off by default:
    the emulator is local and tests should be fast. ``with_exceptions=False`` leaves out
    the exception classes (for a config written to YAML, which cannot hold them): the
    exchange then runs on its generic error table.
    """
    merged_options = copy.deepcopy(DEFAULT_OPTIONS.get(exchange_id, {}))
    for key, value in (options or {}).items():
        if isinstance(value, dict) and isinstance(merged_options.get(key), dict):
            merged_options[key] = {**merged_options[key], **value}
        else:
            merged_options[key] = value
    config: dict[str, Any] = {
        "urls": {
            "api": rewrite_urls(
                copy.deepcopy(_defaults(exchange_id).urls["api"]), base_url, exchange_id
            )
        },
        "timeout": timeout_ms,
        "enableRateLimit": enable_rate_limit,
        "options": merged_options,
    }
    exceptions = scoped_exceptions(exchange_id) if with_exceptions else None
    if exceptions:
        config["exceptions"] = exceptions
    if api_key is not None:
        config["apiKey"] = api_key
    if secret is not None:
        config["secret"] = secret
    return config
