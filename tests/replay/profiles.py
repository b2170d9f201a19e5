"""What a bot on each replayed exchange holds, and what a user should see of it.

Each profile is a bot whose state agrees with the recorded account: its positions are what
the recordings hold, so reconcile must say OK; `equity` is the account's true equity in USD
worked out by hand from the recordings (wallet plus unrealised PnL, priced by the recorded
tickers); `eligible` of `total` markets pass the default universe filters; reconcile compares
`compared` holdings (the bot's, and the cash the exchange holds besides their quote currency).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECORDINGS = Path(__file__).resolve().parent / "recordings"
# Valid base64 and no CDP key form: kraken decodes its secret, coinbase must see HMAC.
CREDENTIALS = {"secret": "dGVzdC1zZWNyZXQtMTIz", "password": "test-pass"}


@dataclass(frozen=True)
class Profile:
    exchange_id: str
    positions: dict[str, float]
    equity: float
    eligible: int
    total: int
    derivatives: bool = False
    settings: dict[str, Any] = field(default_factory=dict)  # more keys of `exchange:`
    other_holdings: int = 0  # what reconcile compares besides the bot's positions

    @property
    def compared(self) -> int:
        return len(self.positions) + self.other_holdings

    @property
    def name(self) -> str:
        return f"{self.exchange_id} {'derivatives' if self.derivatives else 'spot'}"


BYBIT_SPOT = {"BTC/USDT": 0.85581394, "ETH/USDT": 0.09174816, "LTC/USDT": 0.02101953}
CRYPTOCOM_SPOT = {"BTC/USDT": 0.0003999, "LTC/USDT": 0.07109989}
PROFILES = (
    Profile("binance", {"BTC/USDT": 0.6, "ETH/USDT": 4.0, "SOL/USD": 30.0}, 96_600.0, 11, 12),
    Profile("binanceusdm", {"BTC/USDT:USDT": 0.05, "ETH/USDT:USDT": -1.5}, 10_500.0, 2, 2, True),
    Profile("coinbase", {"BTC/USD": 0.6, "ETH/USD": 4.0, "SOL/USD": 30.0}, 96_615.52, 16, 16),
    # bybit's verbatim balance, each coin's `equity`: USDC 5,848.54 + USDT 3,304.30 (wallet
    # 3,322.26, unrealised PnL -17.96) + BTC 0.85581394 x 16,032 + ETH 0.09174816 x 1,201
    # + LTC 0.02101953 x 71.1 (ADA and XRP: no market trades them here, left out)
    Profile("bybit", BYBIT_SPOT, 22_984.93, 5, 10, other_holdings=2),  # + USDC, USDT
    # the same coins, BTC at the verbatim linear ticker's 51,444.40; the verbatim LTC position
    Profile("bybit", {"LTC/USDT:USDT": 1.2}, 53_291.36, 5, 10, True),
    # BTC 0.12 x 16,032 + USDT 8,000 (okx's `eq` already holds unrealised PnL)
    Profile("okx", {"BTC/USDT": 0.12}, 9_923.84, 4, 6),
    Profile("okx", {"BTC/USDT:USDT": 0.5}, 9_923.84, 2, 6, True),
    # BTC 1.2435 x 30,303.20 + USD 25,435.21 (the verbatim XBTUSDT ticker: a 5th market)
    Profile("kraken", {"BTC/USD": 1.2435}, 63_117.24, 5, 5),
    Profile("kucoin", {"BTC/USDT": 0.5, "KCS/USDT": 10.0}, 11_057.0, 3, 4),
    Profile("gate", {"BTC/USDT": 0.6}, 12_619.2, 3, 6),
    # USDT 20,000 wallet - 0.25 unrealised PnL
    Profile("gate", {"BTC/USDT:USDT": 0.5}, 19_999.75, 2, 6, True),
    Profile("bitget", {"BTC/USDT": 0.6, "BGB/USDT": 100.0}, 12_680.2, 3, 6),
    # BTC 0.5 x 16,032 (the synthetic tBTCUSD; the verbatim tBTCUST is a USDT price) + USD
    # 3,000 + USDT (UST) 1,000
    Profile("bitfinex", {"BTC/USD": 0.5}, 12_016.0, 4, 4),
    # crypto.com's verbatim balance: BTC 0.0003999 x 73,375.26 (the verbatim BTC_USDT prices
    # its USD perpetual too) + USDT 94.34 + CRO 0.99625 x 0.075 + LTC 0.07109989 x 70.34 + USD
    # 29.01 and the session's unrealised PnL, -1.645 USD; CRO, below the dust floor, is left to
    # reconcile as a holding the bot does not know
    Profile("cryptocom", CRYPTOCOM_SPOT, 156.13, 4, 7, other_holdings=1),
    # the same account; the verbatim LTC perpetual: its 14.72 USD since the opening is in the
    # cash already (settled hourly; 0 in this session), so it is not added again
    Profile("cryptocom", {"LTC/USD:USD": 4.7}, 156.13, 3, 7, True),
    # BTC 0.6 x 73,397.77 (the verbatim BTCUSDT) + USDT 3,000 + MX 100 x 2.1
    Profile("mexc", {"BTC/USDT": 0.6, "MX/USDT": 100.0}, 47_248.66, 3, 4),
)
