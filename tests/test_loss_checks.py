"""daily_loss, weekly_loss, drawdown: one rule (a loss of the threshold or more fires),
checked at and around each threshold, with the baselines from either equity source."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from checks.daily_loss import DailyLoss
from checks.drawdown import Drawdown
from checks.weekly_loss import WeeklyLoss
from core.inputs import Baseline, BotState, Equity, InputName, Inputs
from core.status import Status
from sources.equity import equity_from_state
from sources.errors import SourceError
from tests.helpers import policy

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
MIDNIGHT = datetime(2026, 11, 27, tzinfo=UTC)
CASES = [
    (DailyLoss(), "day_start", "daily_stop_loss_pct", 3.0),
    (WeeklyLoss(), "week_start", "weekly_stop_loss_pct", 7.0),
    (Drawdown(), "peak", "max_drawdown_pct", 10.0),
]
IDS = [case[0].name for case in CASES]


def _equity(value: float, baseline: Baseline, field: str, **extra) -> Equity:
    baselines = {name: Baseline(None, "unused") for name in ("day_start", "week_start", "peak")}
    baselines[field] = baseline
    return Equity(value, "USD", "exchange", **baselines, **extra)


def _run(check, equity: Equity, **risk):
    return check.run(Inputs({InputName.EQUITY: equity}), policy(risk=risk), NOW)


def _snapshot(value: float) -> Baseline:
    return Baseline(value, "last snapshot at or before the start of the day", MIDNIGHT, MIDNIGHT)


@pytest.mark.parametrize(("check", "field", "key", "threshold"), CASES, ids=IDS)
@pytest.mark.parametrize(
    ("loss_pct", "status"),
    [
        (0.0, Status.OK),
        (-5.0, Status.OK),
        ("just under", Status.OK),
        ("at", Status.CRITICAL),
        ("just over", Status.CRITICAL),
        (50.0, Status.CRITICAL),
        (100.0, Status.CRITICAL),
    ],
)
def test_fires_from_the_threshold_on(check, field, key, threshold, loss_pct, status):
    baseline = 10_234.5  # not round: the equity at the limit carries float noise
    offsets = {"just under": threshold - 0.001, "at": threshold, "just over": threshold + 0.001}
    loss = offsets.get(loss_pct, loss_pct)
    equity = baseline * (1 - loss / 100)
    result = _run(check, _equity(equity, _snapshot(baseline), field))
    assert result.status is status, result.summary
    assert result.context["threshold_pct"] == threshold


@pytest.mark.parametrize(("check", "field", "key", "threshold"), CASES, ids=IDS)
def test_threshold_comes_from_policy(check, field, key, threshold):
    equity = _equity(9_800.0, _snapshot(10_000.0), field)  # -2 %
    assert _run(check, equity).status is Status.OK
    fired = _run(check, equity, **{key: 2.0})
    assert fired.status is Status.CRITICAL
    assert "limit -2%" in fired.summary


def test_context_and_summary_carry_the_figures():
    result = _run(DailyLoss(), _equity(9_650.0, _snapshot(10_000.0), "day_start"))
    assert result.status is Status.CRITICAL
    assert result.summary == (
        "-3.50% since the start of the day: 9,650.00 USD against 10,000.00 USD; limit -3%"
    )
    context = result.context
    assert context["equity"] == 9_650.0 and context["baseline"] == 10_000.0
    assert context["change_pct"] == -3.5 and context["change_usd"] == -350.0
    assert context["currency"] == "USD" and context["equity_source"] == "exchange"
    assert context["baseline_source"] == "last snapshot at or before the start of the day"
    assert context["baseline_at"] == context["period_start"] == MIDNIGHT.isoformat()
    assert context["action"].startswith("stop_trading_for_the_day")
    assert result.perfdata[0].render() == "day_loss=3.5%;;@3:;0"


def test_drawdown_reads_from_the_peak():
    peak = Baseline(12_000.0, "highest snapshot recorded", MIDNIGHT)
    result = _run(Drawdown(), _equity(10_700.0, peak, "peak"))
    assert result.status is Status.CRITICAL  # 10.83 % below the peak
    assert result.perfdata[0].render() == "drawdown=10.833333333%;;@10:;0"
    assert _run(Drawdown(), _equity(12_500.0, peak, "peak")).status is Status.OK


def test_unpriced_assets_are_named_in_the_context():
    equity = _equity(10_000.0, _snapshot(10_000.0), "day_start", unpriced=("AIRDROP",))
    assert _run(DailyLoss(), equity).context["unpriced_assets"] == ["AIRDROP"]


@pytest.mark.parametrize(("check", "field", "key", "threshold"), CASES, ids=IDS)
def test_unknown_baseline_is_unknown_not_ok(check, field, key, threshold):
    missing = Baseline(None, "data/state.json: no `x` field (risk.pnl_source: state)")
    result = _run(check, _equity(5_000.0, missing, field))
    assert result.status is Status.UNKNOWN
    assert "no `x` field" in result.summary
    zero = _run(check, _equity(5_000.0, _snapshot(0.0), field))
    assert zero.status is Status.UNKNOWN and "no percentage change" in zero.summary


def _state(**fields) -> BotState:
    return BotState(Path("data/state.json"), {}, None, NOW, **fields)


def test_state_source_reads_the_bots_fields():
    equity = equity_from_state(
        _state(
            equity=9_500.0,
            day_start_equity=10_000.0,
            week_start_equity=9_000.0,
            peak_equity=9_600.0,
        ),
        "USD",
    )
    assert _run(DailyLoss(), equity).status is Status.CRITICAL  # -5 %
    assert _run(WeeklyLoss(), equity).status is Status.OK  # +5.6 %
    result = _run(Drawdown(), equity)
    assert result.status is Status.OK and result.context["equity_source"] == "state file"
    assert result.context["baseline_source"] == "the bot's peak_equity"


def test_state_source_missing_fields_are_named():
    with pytest.raises(SourceError, match="no `equity` field"):
        equity_from_state(_state(day_start_equity=1.0), "USD")
    equity = equity_from_state(_state(equity=100.0, peak_equity=100.0), "USD")
    daily = _run(DailyLoss(), equity)
    assert daily.status is Status.UNKNOWN and "no `day_start_equity` field" in daily.summary
    weekly = _run(WeeklyLoss(), equity)
    assert weekly.status is Status.UNKNOWN and "no `week_start_equity` field" in weekly.summary
    assert _run(Drawdown(), equity).status is Status.OK


def test_a_missing_equity_input_is_unknown():
    inputs = Inputs(errors={InputName.EQUITY: "binance fetch_balance: rate limited"})
    for check, *_ in CASES:
        result = check.run(inputs, policy(), NOW)
        assert result.status is Status.UNKNOWN and "rate limited" in result.summary
