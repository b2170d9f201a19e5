"""The real exchange path (client, cycle, responses, equity, checks) through real ccxt on
answers the exchanges really sent: what a user would see of a bot whose state agrees with
its account."""

from __future__ import annotations

import pytest

from core.status import Status
from tests.exchange.harness import EXCHANGE_CHECKS, Watch
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
    assert results["reconcile"].context["compared_count"] == len(profile.positions)


def test_the_operator_setting_reaches_ccxt(tmp_path, replay):
    """A spot bot on bybit (ccxt's default there: swap) reads the spot tickers, so a volume
    minimum finds the spot markets' volumes instead of calling them all unknown."""
    bybit_spot = next(p for p in PROFILES if p.exchange_id == "bybit" and not p.derivatives)
    policy = {"universe": {"min_quote_volume_24h": 200_000}}
    result = watch_of(tmp_path, replay, bybit_spot, derivatives=False, policy=policy).cycle()
    result = result["universe"]
    assert result.status is Status.OK, result.summary
    assert result.context["eligible_count"] == 3  # BTCUSDC trades 193,963 USDC: below
    assert "category=spot" in " ".join(r.query for r in replay.request_log("bybit"))


def test_derivatives_inferred_from_the_bot_symbols(tmp_path, replay):
    gate = next(p for p in PROFILES if p.exchange_id == "gate" and p.derivatives)
    results = watch_of(tmp_path, replay, gate).cycle()
    assert results["reconcile"].context["account_type"] == "derivatives"
    paths = {r.path for r in replay.request_log("gate")}
    assert "/api/v4/futures/usdt/accounts" in paths  # the margin wallet, not the spot one
    assert "/api/v4/spot/accounts" not in paths
