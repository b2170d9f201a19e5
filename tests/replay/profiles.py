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


BITGET_SPOT = {"LTC/USDT": 0.2232616, "BGB/USDT": 1.15, "TRX/USDT": 154.8660789}
BYBIT_SPOT = {"BTC/USDT": 0.85581394, "ETH/USDT": 0.09174816, "LTC/USDT": 0.02101953}
OKX_SPOT = {"BTC/USDT": 1.06126645222, "ETH/USDT": 5.0, "OKB/USDT": 100.0, "LTC/USDT": 10.29979}
CRYPTOCOM_SPOT = {"BTC/USDT": 0.0003999, "LTC/USDT": 0.07109989}
PROFILES = (
    # binance's verbatim spot balance: LTC 0.919741 x 69.63 + ETH 0.02229833 x 3,500 (BTC 0)
    Profile("binance", {"LTC/USDT": 0.919741, "ETH/USDT": 0.02229833}, 142.085721, 12, 13),
    # the verbatim futures account: USDT margin balance 4.27203287 (wallet 3.72964781 +
    # unrealised PnL 0.54238506 of the verbatim BTCUSDT position) + USDC 22
    Profile("binanceusdm", {"BTC/USDT:USDT": 0.009}, 26.272033, 2, 2, True),
    Profile("coinbase", {"BTC/USD": 0.6, "ETH/USD": 4.0, "SOL/USD": 30.0}, 96_615.52, 16, 16),
    # bybit's verbatim balance, each coin's `equity`: USDC 5,848.54 + USDT 3,304.30 (wallet
    # 3,322.26, unrealised PnL -17.96) + BTC 0.85581394 x 16,032 + ETH 0.09174816 x 1,201
    # + LTC 0.02101953 x 71.1 (ADA and XRP: no market trades them here, left out)
    Profile("bybit", BYBIT_SPOT, 22_984.93, 5, 10, other_holdings=2),  # + USDC, USDT
    # the same coins, BTC at the verbatim linear ticker's 51,444.40; the verbatim LTC position
    Profile("bybit", {"LTC/USDT:USDT": 1.2}, 53_291.36, 5, 10, True),
    # okx's verbatim unified-account balance, each coin's `eq` (unrealised PnL included):
    # BTC 1.06126645222 x 73,384.8 (the verbatim BTC-USDT ticker) + ETH 5 x 1,201 + OKB
    # 100 x 26.1 + LTC 10.29979 x 68.24 + USDC 2,973.521 + USDT 0.000258796 (TUSD, JFI, UNI,
    # PAX, USDK, TRX, ADA: no market trades them here, left out; reconcile compares 7 of them)
    Profile("okx", OKX_SPOT, 90_172.21, 5, 8, other_holdings=7),
    # the same coins priced by the swap tickers (BTC at the example's 16,032), OKB, which no
    # swap is listed for, by its spot ticker (26.1); the verbatim LTC-USDT-SWAP position: 1
    # contract of 1 LTC (ccxt's recorded market; the position's own notionalUsd, 0.068 USD,
    # would make it 0.001 LTC)
    Profile("okx", {"LTC/USDT:USDT": 1.0}, 29_305.60, 3, 8, True),
    # BTC 1.2435 x 30,303.20 + USD 25,435.21 (the verbatim XBTUSDT ticker: a 5th market)
    Profile("kraken", {"BTC/USD": 1.2435}, 63_117.24, 5, 5),
    # kucoin's verbatim balance: USDT 40.12618754 + LTC 0.171021 x 72.8 (BTC and TRX: 0)
    Profile("kucoin", {"LTC/USDT": 0.171021}, 52.58, 4, 5),
    # BTC 0.6 x 73,373.9 (the verbatim BTC_USDT ticker) + USDT 3,000
    Profile("gate", {"BTC/USDT": 0.6}, 47_024.34, 3, 7),
    # USDT 20,000 wallet + 0.008 unrealised PnL of the verbatim LTC_USDT position (1 contract
    # of 0.1 LTC)
    Profile("gate", {"LTC/USDT:USDT": 0.1}, 20_000.01, 3, 7, True),
    # bitget's verbatim spot balance: USDT 23.35159289 + LTC 0.2232616 x 69.265 + BGB 1.15 x
    # 0.61 + TRX 154.8660789 x 0.1034 (FON: no market trades it here, left out and named)
    Profile("bitget", BITGET_SPOT, 55.53, 5, 8, other_holdings=1),  # + FON
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
    # BTC 0.6 x 73,397.77 (the verbatim BTCUSDT) + USDT 3,000 + MX 100 x 2.1; BTC/USDT is
    # inactive (not open to API spot trading, as ccxt's recorded market has it), so 2 eligible
    Profile("mexc", {"BTC/USDT": 0.6, "MX/USDT": 100.0}, 47_248.66, 2, 4),
)
