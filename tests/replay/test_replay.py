"""The real exchange path (client, cycle, responses, equity, checks) through real ccxt on
answers the exchanges really sent: what a user would see of a bot whose state agrees with
its account."""

from __future__ import annotations

import copy

import pytest

from config.models import ExchangeSettings
from core.status import Status
from emulator import ccxt_config_for
from emulator.replay import ReplayExchange
from sources.exchange.client import build_client
from sources.exchange.responses import parse_transactions
from tests.conftest import BASE_APP
from tests.exchange.harness import EXCHANGE_CHECKS, Watch, at
from tests.replay.profiles import CREDENTIALS, PROFILES


def watch_of(tmp_path, replay, profile, **settings) -> Watch:
    return Watch(
        tmp_path,
        replay,
        profile.exchange_id,
        positions=profile.positions,
        ccxt=CREDENTIALS,
        **{**profile.settings, **settings},
    )


@pytest.mark.parametrize("profile", PROFILES, ids=lambda profile: profile.name)
def test_a_bot_that_agrees_with_its_account_reads_ok(tmp_path, replay, profile):
    results = watch_of(tmp_path, replay, profile).cycle()
    assert replay.unmatched == []
    assert {name: r.status for name, r in results.items()} == {
        check.name: Status.OK for check in EXCHANGE_CHECKS
    }, {name: r.summary for name, r in results.items()}
    assert results["daily_loss"].context["equity"] == pytest.approx(profile.equity, abs=0.01)
    universe = results["universe"].context
    counts = (universe["eligible_count"], universe["total_assets"])
    assert counts == (profile.eligible, profile.total)
    assert universe["account_type"] == ("derivatives" if profile.derivatives else "spot")
    assert results["reconcile"].context["compared_count"] == profile.compared


def test_the_operator_setting_reaches_ccxt(tmp_path, replay):
    """A spot bot on bybit (ccxt's default there: swap) reads the spot tickers, so a volume
    minimum finds the spot markets' volumes instead of calling them all unknown."""
    bybit_spot = next(p for p in PROFILES if p.exchange_id == "bybit" and not p.derivatives)
    policy = {"universe": {"min_quote_volume_24h": 200_000}}
    result = watch_of(tmp_path, replay, bybit_spot, derivatives=False, policy=policy).cycle()
    result = result["universe"]
    assert result.status is Status.OK, result.summary
    assert result.context["eligible_count"] == 4  # BTCUSDC trades 193,963 USDC: below
    assert "category=spot" in " ".join(r.query for r in replay.request_log("bybit"))


def test_derivatives_inferred_from_the_bot_symbols(tmp_path, replay):
    gate = next(p for p in PROFILES if p.exchange_id == "gate" and p.derivatives)
    results = watch_of(tmp_path, replay, gate).cycle()
    assert results["reconcile"].context["account_type"] == "derivatives"
    paths = {r.path for r in replay.request_log("gate")}
    assert "/api/v4/futures/usdt/accounts" in paths  # the margin wallet, not the spot one
    assert "/api/v4/spot/accounts" not in paths


def _under_water(replay: ReplayExchange, exchange_id: str) -> None:
    """The open position loses 3,000 in its settle currency, as each exchange tells it."""
    body = copy.deepcopy
    if exchange_id == "bybit":  # the wallet stays; the coin's equity and the position move
        _coin(replay, "USDT", equity="304.29766609", unrealisedPnl="-3017.9613")
        positions = body(replay.recording("bybit", "positions-linear-usdt").body)
        positions["result"]["list"][0].update(unrealisedPnl="-2992.199375")
        replay.serve("bybit", "positions-linear-usdt", positions)
    elif exchange_id == "okx":  # `eq` holds the unrealised PnL: the verbatim USDT row moves
        balance = body(replay.recording("okx", "balance").body)
        usdt = next(row for row in balance["data"][0]["details"] if row["ccy"] == "USDT")
        usdt.update(eq="-2999.999741204", upl="-3000")
        replay.serve("okx", "balance", balance)
        positions = body(replay.recording("okx", "positions").body)
        positions["data"][0].update(upl="-3000")
        replay.serve("okx", "positions", positions)
    elif exchange_id == "gate":  # the futures `total` is the wallet; the position tells
        positions = body(replay.recording("gate", "positions-usdt").body)
        positions[0].update(unrealised_pnl="-2999.992")
        replay.serve("gate", "positions-usdt", positions)
    elif exchange_id == "cryptocom":  # within the session: its unrealised PnL tells
        _cryptocom_session(replay, pnl=-3000.0)
    elif exchange_id == "binanceusdm":  # ccxt's total is the margin balance
        # the recorded 0.009 BTC long (a 26 USD account) loses 13 USDT: BTC 1,444.44 lower
        account = body(replay.recording("binanceusdm", "fapi-v3-account").body)
        usdt = next(asset for asset in account["assets"] if asset["asset"] == "USDT")
        usdt.update(marginBalance="-8.72796713", unrealizedProfit="-12.45761494")
        usdt.update(crossUnPnl="-12.45761494")
        account["positions"][0].update(unrealizedProfit="-12.45761494", notional="594.55548506")
        account.update(totalUnrealizedProfit="-12.45769638", totalMarginBalance="13.26840422")
        account.update(totalCrossUnPnl="-12.45769638")
        replay.serve("binanceusdm", "fapi-v3-account", account)
        positions = body(replay.recording("binanceusdm", "fapi-v3-positionRisk").body)
        positions[0].update(markPrice="66058.24075414", unRealizedProfit="-12.48893322")
        positions[0].update(notional="594.52416678")
        replay.serve("binanceusdm", "fapi-v3-positionRisk", positions)


# The loss of `_under_water` where it is not 3,000 (a recorded account too small for it)
LOSS = {"binanceusdm": 13.0}


def _cryptocom_session(replay: ReplayExchange, pnl: float, settled: float = 0.0) -> None:
    """crypto.com's verbatim balance and LTC position, `pnl` USD of unrealised PnL later in
    the session; `settled` of it moved into the cash by the hourly session settlement."""
    balance = copy.deepcopy(replay.recording("cryptocom", "balance").body)
    account = balance["result"]["data"][0]
    session = float(account["total_session_unrealized_pnl"]) + pnl - settled
    account["total_session_unrealized_pnl"] = str(session)
    usd = next(row for row in account["position_balances"] if row["instrument_name"] == "USD")
    usd["quantity"] = str(float(usd["quantity"]) + settled)
    replay.serve("cryptocom", "balance", balance)
    positions = copy.deepcopy(replay.recording("cryptocom", "positions").body)
    position = positions["result"]["data"][0]
    position["open_position_pnl"] = str(float(position["open_position_pnl"]) + pnl)
    position["session_pnl"] = str(float(position["session_pnl"]) + pnl - settled)
    replay.serve("cryptocom", "positions", positions)


@pytest.mark.parametrize(
    "profile",
    [p for p in PROFILES if p.derivatives],
    ids=lambda profile: profile.name,
)
def test_a_position_under_water_fires_daily_loss(tmp_path, replay, profile):
    watch = watch_of(tmp_path, replay, profile)
    assert watch.cycle(at(9))["daily_loss"].status is Status.OK
    _under_water(replay, profile.exchange_id)
    result = watch.cycle(at(10))["daily_loss"]
    assert result.status is Status.CRITICAL, result.summary
    loss = LOSS.get(profile.exchange_id, 3000.0)
    assert result.context["change_usd"] == pytest.approx(-loss, abs=min(1.0, loss / 100))
    assert result.context["equity_method"]


def test_a_session_settlement_is_no_second_loss(tmp_path, replay):
    """crypto.com settles each position's PnL into the cash every hour, while ccxt's
    `unrealizedPnl` still counts it since the opening (the verbatim LTC position: 14.72 USD
    since the opening, 0 in this session): a loss settled into the cash is counted once."""
    cryptocom = next(p for p in PROFILES if p.exchange_id == "cryptocom" and p.derivatives)
    watch = watch_of(tmp_path, replay, cryptocom)
    assert watch.cycle(at(9))["daily_loss"].context["equity"] == pytest.approx(cryptocom.equity)
    _cryptocom_session(replay, pnl=-100.0)
    assert watch.cycle(at(10))["daily_loss"].context["change_usd"] == pytest.approx(-100)
    replay.reload()  # the stored answers again, then the session that ended at 11:00
    _cryptocom_session(replay, pnl=-100.0, settled=-100.0)
    result = watch.cycle(at(11, 1))["daily_loss"]
    assert result.status is Status.CRITICAL, result.summary
    assert result.context["change_usd"] == pytest.approx(-100), result.summary
    assert result.context["equity_method"].startswith("cryptocom's cash + the session's")


def test_base_volume_only_tickers_still_tell_the_volume(tmp_path, replay):
    """bitfinex reports a base volume only: base x last is the quote volume."""
    bitfinex = next(p for p in PROFILES if p.exchange_id == "bitfinex")
    policy = {"universe": {"min_quote_volume_24h": 1_000_000}}
    watch = watch_of(tmp_path, replay, bitfinex, policy=policy)
    result = watch.cycle()["universe"]
    assert result.status is Status.OK, result.summary
    assert result.context["eligible_count"] == 4
    tickers = copy.deepcopy(replay.recording("bitfinex", "tickers.derived").body)
    for row in tickers:
        row[8] = None  # no volume at all: cannot tell, which is not an empty universe
    replay.serve("bitfinex", "tickers.derived", tickers)
    result = watch.cycle()["universe"]
    assert result.status is Status.UNKNOWN, result.summary
    assert result.context["volume_unknown_count"] == 4


def test_positions_of_every_settle_coin_are_read(tmp_path, replay):
    """A bybit bot holding a USDC-settled perpetual besides its USDT one (the recorded LTC
    position): both are asked."""
    positions = copy.deepcopy(replay.recording("bybit", "positions-linear-usdt").body)
    usdc = positions["result"]["list"][0] | {"symbol": "BTCPERP", "size": "0.2"}
    positions["result"]["list"] = [usdc]
    replay.serve("bybit", "positions-linear-usdc.synthetic", positions)
    bot = {"LTC/USDT:USDT": 1.2, "BTC/USDC:USDC": 0.2}
    watch = Watch(tmp_path, replay, "bybit", positions=bot, ccxt=CREDENTIALS)
    result = watch.cycle()["reconcile"]
    assert result.status is Status.OK, result.summary
    assert result.context["compared_count"] == 2
    queries = [r.query for r in replay.request_log("bybit") if r.path == "/v5/position/list"]
    assert len(queries) == 2 and any("settleCoin=USDC" in query for query in queries)


def test_config_check_shows_the_account_type_the_bot_symbols_imply(workspace):
    workspace.write_app(BASE_APP + "exchange: {id: bybit}\n")
    workspace.write_state({"positions": {"BTC/USDT": {"quantity": 0.5}}})
    result = workspace.run("config", "check")
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert last == "# exchange account type: spot (from the bot's spot symbols (BTC/USDT))"


@pytest.mark.parametrize(("exchange_id", "cold"), [("binance", 3), ("bybit", 16)])
def test_a_new_process_reuses_the_stored_markets(tmp_path, replay, exchange_id, cold):
    """Each cron run is a new process (a new runtime here): within markets_ttl_seconds it
    takes the markets an earlier run stored, so it asks only for the balance and tickers."""
    profile = next(p for p in PROFILES if p.exchange_id == exchange_id and not p.derivatives)
    watch_of(tmp_path, replay, profile, ttl=600).cycle(at(9))
    assert replay.requests_total() == cold, replay.request_counts()
    replay.reset_counts()
    warm = watch_of(tmp_path, replay, profile, ttl=600).cycle(at(9, 9, 59))
    assert replay.requests_total() == 2, replay.request_counts()
    assert {r.status for r in warm.values()} == {Status.OK}
    replay.reset_counts()
    watch_of(tmp_path, replay, profile, ttl=600).cycle(at(9, 10))  # the TTL is over
    assert replay.requests_total() == cold, replay.request_counts()


def _withdrawal(at_ms: int, amount: str, coin: str) -> dict:
    """bybit's withdrawal record (the fields of ccxt's recorded example)."""
    return {
        "coin": coin,
        "chain": "ETH",
        "amount": amount,
        "txID": "0x6a6aa6",
        "status": "success",
        "toAddress": "0x99ced",
        "tag": "",
        "withdrawFee": "1",
        "createTime": str(at_ms),
        "updateTime": str(at_ms),
        "withdrawId": "10197",
        "withdrawType": 0,
    }


def _coin(replay: ReplayExchange, coin: str, **figures: str) -> None:
    """bybit's verbatim balance with one coin's figures changed (a scenario)."""
    balance = copy.deepcopy(replay.recording("bybit", "balance").body)
    row = next(row for row in balance["result"]["list"][0]["coin"] if row["coin"] == coin)
    row.update(figures)
    replay.serve("bybit", "balance", balance)


def _withdraw_a_fifth(replay: ReplayExchange) -> None:
    """The owner takes 4,596 USDC out (20 %; 1 USDC fee) at 09:30: the exchange tells it."""
    _coin(replay, "USDC", equity="1251.53933918", walletBalance="1251.20013918")
    withdrawals = copy.deepcopy(replay.recording("bybit", "withdrawals.synthetic").body)
    withdrawals["result"]["rows"] = [_withdrawal(int(at(9, 30).timestamp() * 1000), "4596", "USDC")]
    replay.serve("bybit", "withdrawals.synthetic", withdrawals)


def test_a_withdrawal_is_not_a_loss_and_a_loss_after_it_still_fires(tmp_path, replay):
    bybit = next(p for p in PROFILES if p.exchange_id == "bybit" and not p.derivatives)
    watch = watch_of(tmp_path, replay, bybit)
    assert watch.cycle(at(9))["daily_loss"].context["equity"] == pytest.approx(bybit.equity)
    _withdraw_a_fifth(replay)
    assert watch.cycle(at(9, 45), dry_run=True)["drawdown"].status is Status.OK  # not stored
    results = watch.cycle(at(10))
    for name in ("daily_loss", "weekly_loss", "drawdown"):
        assert results[name].status is Status.OK, results[name].summary
    context = results["daily_loss"].context
    assert context["baseline"] == pytest.approx(bybit.equity - 4_597)
    assert context["transfers"] == [
        {"at": at(9, 30).isoformat(), "amount": -4597.0, "source": "exchange"}
    ]
    # Then a real loss: 3,000 USDT of unrealised PnL, measured from what remained.
    _coin(replay, "USDT", equity="304.29766609", unrealisedPnl="-3017.9613")
    loss = watch.cycle(at(11))["daily_loss"]
    assert loss.status is Status.CRITICAL, loss.summary
    assert loss.context["change_usd"] == pytest.approx(-3000, abs=0.01)


def test_an_operator_records_a_transfer_the_exchange_cannot_tell(tmp_path, replay, workspace):
    kraken = next(p for p in PROFILES if p.exchange_id == "kraken")
    watch = watch_of(tmp_path, replay, kraken, read_transfers=False)
    assert watch.cycle(at(9))["drawdown"].status is Status.OK
    balance = copy.deepcopy(replay.recording("kraken", "balance.example").body)
    balance["result"]["ZUSD"]["balance"] = 5435.21  # 20,000 USD withdrawn
    replay.serve("kraken", "balance.example", balance)
    assert watch.cycle(at(10))["drawdown"].status is Status.CRITICAL  # the exchange cannot tell
    workspace.write_app(f"database_url: sqlite:///{tmp_path / 'alerts.db'}\naccount: acct\n")
    result = workspace.run("transfer", "record", "-20000", "--at", at(9, 30).isoformat())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("recorded withdrawal of 20,000.00 USD")
    results = watch.cycle(at(10, 1))
    for name in ("daily_loss", "weekly_loss", "drawdown"):
        assert results[name].status is Status.OK, results[name].summary


def test_plain_pairs_on_a_derivatives_only_exchange_stay_derivatives(tmp_path, replay):
    bot = {"BTC/USDT": 0.009}  # binanceusdm's recorded position, the `:USDT` left out
    result = Watch(tmp_path, replay, "binanceusdm", positions=bot, ccxt=CREDENTIALS).cycle()
    assert result["reconcile"].status is Status.OK, result["reconcile"].summary
    assert result["reconcile"].context["account_type"] == "derivatives"


@pytest.mark.parametrize("exchange_id", ["binance", "binanceusdm"])
def test_binance_transfers_read_as_recorded(replay, exchange_id):
    """ccxt's recorded binance deposit (10 USDT) and withdrawal (9 USDT and the 1 USDT fee;
    status 6: completed) through the real client, as the loss checks count them."""
    config = {**ccxt_config_for(exchange_id, replay.base_url), **CREDENTIALS}
    client = build_client(ExchangeSettings(id=exchange_id, config=config))
    usdt = {"amount": 10.0, "currency": "USDT", "status": "ok"}
    assert parse_transactions(client.fetch_deposits_withdrawals()) == [
        {"type": "deposit", "id": "4534543435", "timestamp": 1714923704000, **usdt},
        {"type": "withdrawal", "id": "54c1b7543534543fsdfsdf6", "timestamp": 1714923536000, **usdt},
    ]


def test_an_unreadable_state_does_not_fix_the_account_type(tmp_path, replay):
    """The runner's first cycle cannot read the bot's state: ccxt's default (bybit: swap)
    serves that cycle only, and the next one reads the bot's spot symbols."""
    bybit = next(p for p in PROFILES if p.exchange_id == "bybit" and not p.derivatives)
    watch = watch_of(tmp_path, replay, bybit)
    watch.state_file.write_text("{half a")
    assert watch.cycle(at(9))["universe"].context["account_type"] == "derivatives"
    watch.write_positions(bybit.positions)
    results = watch.cycle(at(9, 1))
    assert results["reconcile"].status is Status.OK, results["reconcile"].summary
    assert results["universe"].context["account_type"] == "spot"
