"""Small formatting helpers shared by venue renderers (numbers as exchange strings etc.)."""

from __future__ import annotations

import math
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

_NAMESPACE = uuid.UUID("6f1c9a1e-5b1d-4a8e-9d51-0c9e1b0a7e42")

CURRENCY_NAMES: dict[str, str] = {
    "BTC": "Bitcoin",
    "ETH": "Ethereum",
    "SOL": "Solana",
    "XRP": "XRP",
    "DOGE": "Dogecoin",
    "LUNA": "Terra",
    "USDT": "Tether",
    "USDC": "USD Coin",
    "USD": "US Dollar",
    "EUR": "Euro",
    "GBP": "British Pound",
}


def fmt(value: float | None) -> str:
    """Render a number the way exchanges do: plain decimal string, never ``1e-08``."""
    if value is None:
        return ""
    return format(Decimal(repr(float(value))), "f")


def tick_size(price: float | None) -> str:
    """Plausible price tick: ~5 significant digits, at most 0.01 (BTC 0.01, XRP 0.0001)."""
    if not price or price <= 0:
        return "0.01"
    exponent = math.floor(math.log10(price)) - 4
    return fmt(min(0.01, 10.0**exponent))


def step_size(price: float | None) -> str:
    """Plausible amount step: pricier coins trade in finer units (BTC 0.00001, XRP 0.1)."""
    if not price or price <= 0:
        return "1"
    exponent = -(math.floor(math.log10(price)) + 1)
    return fmt(10.0 ** min(0, exponent))


def now_ms() -> int:
    return int(time.time() * 1000)


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stable_uuid(*parts: str) -> str:
    """Deterministic UUID so account ids stay the same across requests and restarts."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def currency_name(code: str) -> str:
    return CURRENCY_NAMES.get(code, code)
