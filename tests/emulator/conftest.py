"""Fixtures for emulator tests: a ccxt client factory on the session's emulator
(`emulator`, from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import ccxt
import pytest

from emulator import ExchangeEmulator, ccxt_config_for


@pytest.fixture
def make_exchange(emulator: ExchangeEmulator) -> Callable[..., ccxt.Exchange]:
    """``make_exchange("binance", timeout_ms=500)`` -> real ccxt client on the emulator."""

    def make(exchange_id: str, **config: object) -> ccxt.Exchange:
        return getattr(ccxt, exchange_id)(ccxt_config_for(exchange_id, emulator.base_url, **config))

    return make
