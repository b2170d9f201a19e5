"""Fixtures for emulator tests: a fresh emulator on port 0 and a ccxt client factory."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import ccxt
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from emulator import ExchangeEmulator, ccxt_config_for  # noqa: E402


@pytest.fixture(scope="session")
def _running_emulator() -> Iterator[ExchangeEmulator]:
    """One server (port 0) for the session: starting/stopping per test costs ~50 ms."""
    with ExchangeEmulator() as emu:
        yield emu


@pytest.fixture
def emulator(_running_emulator: ExchangeEmulator) -> ExchangeEmulator:
    """The shared emulator, reset to default state, no faults and zero counts."""
    _running_emulator.reset()
    return _running_emulator


@pytest.fixture
def make_exchange(emulator: ExchangeEmulator) -> Callable[..., ccxt.Exchange]:
    """``make_exchange("binance", timeout_ms=500)`` -> real ccxt client on the emulator."""

    def make(exchange_id: str, **config: object) -> ccxt.Exchange:
        return getattr(ccxt, exchange_id)(ccxt_config_for(exchange_id, emulator.base_url, **config))

    return make
