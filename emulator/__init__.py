"""Local exchange emulator for driving the real ccxt client without internet.

Quick start::

    import ccxt
    from emulator import ExchangeEmulator, ccxt_config_for

    with ExchangeEmulator() as emu:
        exchange = ccxt.binance(ccxt_config_for("binance", emu.base_url))
        exchange.fetch_balance()
        emu.add_fault("http_429", exchange="binance", times=1)

See ``emulator/README.md`` for endpoints, fault -> ccxt exception tables and the CLI.
"""

from .ccxt_config import ccxt_config_for
from .control import EmulatorControl
from .faults import FAULT_KINDS, Fault
from .request_log import NO_KEY, RequestRecord
from .server import ExchangeEmulator
from .state import Account, Balance, Market, Position, State, Ticker, default_state
from .venues import SUPPORTED_EXCHANGES

__all__ = [
    "FAULT_KINDS",
    "NO_KEY",
    "SUPPORTED_EXCHANGES",
    "Account",
    "Balance",
    "EmulatorControl",
    "ExchangeEmulator",
    "Fault",
    "Market",
    "Position",
    "RequestRecord",
    "State",
    "Ticker",
    "ccxt_config_for",
    "default_state",
]
