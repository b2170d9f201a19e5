"""A small demo trading bot: it writes its state file, appends to its JSON-lines error log,
flips its kill switch and moves the (emulated) exchange, on a script that walks through
every alert of the matrix. It places no orders: it only leaves the traces a bot leaves.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from emulator.state import State, StateStore

log = logging.getLogger("demo.bot")

STATE_EVERY_SECONDS = 2.0


@dataclass(frozen=True)
class Step:
    at: float  # seconds into the script
    says: str
    does: Callable[[DemoBot], None]


class DemoBot:
    def __init__(self, data: Path, exchange: StateStore, healthy: State) -> None:
        self.data = data
        self.exchange = exchange
        self.healthy = healthy
        self.writing_state = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-bot", daemon=True)

    # ------------------------------------------------------------------ traces

    @property
    def state_file(self) -> Path:
        return self.data / "state.json"

    @property
    def kill_switch(self) -> Path:
        return self.data / "KILL_SWITCH"

    @property
    def error_log(self) -> Path:
        return self.data / "errors.jsonl"

    def write_state(self) -> None:
        """What the bot believes it holds: the healthy exchange balances, as positions."""
        positions = {
            f"{code}-USD": {"quantity": balance.total, "entry_price": self._price(code)}
            for code, balance in self.healthy.balances.items()
            if code not in ("USD", "USDT", "USDC")
        }
        document = {"updated_at": _now(), "positions": positions}
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(document, indent=2))
        os.replace(temporary, self.state_file)  # atomic, as a careful bot writes it

    def log_event(self, kind: str, **fields: object) -> None:
        with self.error_log.open("a") as handle:
            handle.write(json.dumps({"ts": _now(), "kind": kind, **fields}) + "\n")

    def restore_exchange(self) -> None:
        self.exchange.replace(self.healthy)

    def _price(self, code: str) -> float:
        ticker = self.healthy.tickers.get(f"{code}/USD")
        return ticker.last if ticker else 0.0

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        self.write_state()
        while not self._stop.is_set():
            started = time.monotonic()
            pending = list(SCRIPT)
            while pending and not self._stop.is_set():
                elapsed = time.monotonic() - started
                while pending and pending[0].at <= elapsed:
                    step = pending.pop(0)
                    log.warning("demo bot @%3ds: %s", step.at, step.says)
                    step.does(self)
                if self.writing_state:
                    self.write_state()
                self._stop.wait(STATE_EVERY_SECONDS)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _crash_prices(bot: DemoBot) -> None:
    for symbol, ticker in bot.healthy.tickers.items():
        if symbol.split("/")[0] in ("BTC", "ETH", "SOL"):
            bot.exchange.set_ticker(symbol, round(ticker.last * 0.82, 2), ticker.quote_volume)


def _drift_eth(bot: DemoBot) -> None:
    eth = bot.healthy.balances["ETH"]
    bot.exchange.set_balance("ETH", eth.free * 0.9, eth.used)


def _empty_universe(bot: DemoBot) -> None:
    for symbol, market in bot.healthy.markets.items():
        if symbol != "BTC/USD":
            bot.exchange.set_market(symbol, active=False, exchanges=market.exchanges)


def _rejections(bot: DemoBot) -> None:
    for symbol in ("ETH-USD", "SOL-USD", "ETH-USD"):
        bot.log_event(
            "order_rejected",
            symbol=symbol,
            code="INSUFFICIENT_FUNDS",
            message="Insufficient balance in source account",
        )


def _exceptions(bot: DemoBot) -> None:
    for _ in range(2):
        bot.log_event(
            "exception",
            code="KeyError",
            message="'best_bid'",
            context={"traceback": "strategy.py:212 in signal"},
        )


def _api_errors(bot: DemoBot) -> None:
    for code in ("503", "503", "RequestTimeout"):
        bot.log_event(
            "api_error", code=code, symbol="BTC-USD", message="GET /api/v3/brokerage/orders failed"
        )


def _hang(bot: DemoBot) -> None:
    bot.writing_state = False


def _resume(bot: DemoBot) -> None:
    bot.writing_state = True


SCRIPT: tuple[Step, ...] = (
    Step(
        15,
        "risk desk flips the kill switch",
        lambda b: b.kill_switch.write_text("demo: risk desk halted trading\n"),
    ),
    Step(75, "kill switch removed", lambda b: b.kill_switch.unlink(missing_ok=True)),
    Step(85, "the exchange answers 503 three times", _api_errors),
    Step(105, "an API call succeeds again", lambda b: b.log_event("api_ok")),
    Step(115, "three orders rejected", _rejections),
    Step(135, "10 % of the ETH on the exchange is gone (reconcile)", _drift_eth),
    Step(165, "exchange balances back to what the bot holds", DemoBot.restore_exchange),
    Step(175, "the trading loop raises twice", _exceptions),
    Step(195, "every market but BTC/USD halted (empty universe)", _empty_universe),
    Step(225, "markets back", DemoBot.restore_exchange),
    Step(235, "prices crash 18 % (daily/weekly loss, drawdown)", _crash_prices),
    Step(275, "prices recover", DemoBot.restore_exchange),
    Step(285, "the bot hangs: no state updates (heartbeat)", _hang),
    Step(330, "the bot is back", _resume),
    Step(345, "script ends; it starts again", lambda b: None),
)
