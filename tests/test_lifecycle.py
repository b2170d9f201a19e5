"""The alert lifecycle rules (README: "Alert lifecycle") as a pure function, driven by
explicit times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from alerts.lifecycle import Reason, check_failing_result, decide
from config.models import AlertService
from core.alert_state import AlertState
from core.notification import NotificationKind as Kind
from core.results import CheckResult
from core.status import Severity, Status

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
POLICY = AlertService(dedupe_seconds=60, escalation_seconds=120, repeat_seconds=3600)


def result(status: Status, severity: Severity = Severity.WARNING) -> CheckResult:
    return CheckResult(
        name="reconcile",
        title="Reconcile Mismatch",
        status=status,
        severity=severity,
        summary=f"{status.name} now",
        context={"reason": "exchange down"} if status is Status.UNKNOWN else {"n": 1},
    )


FIRING = result(Status.WARNING)
OK = result(Status.OK)
UNKNOWN = result(Status.UNKNOWN)


class Timeline:
    """Applies results to one alert's state over time, as the service does."""

    def __init__(self) -> None:
        self.alert = AlertState(
            "default", "reconcile", "Reconcile Mismatch", Severity.WARNING, T0, T0
        )

    def at(self, seconds: float, outcome: CheckResult, muted: bool = False):
        decision = decide(self.alert, outcome, T0 + timedelta(seconds=seconds), POLICY, muted)
        self.alert = decision.state
        return list(decision.notices)

    def acknowledge(self, at: datetime) -> None:
        self.alert = replace(self.alert, acknowledged_at=at, acknowledged_by="ops")


def test_new_firing_notifies_at_once_and_not_again_inside_dedupe():
    line = Timeline()
    [notice] = line.at(0, FIRING)
    assert (notice.kind, notice.reason, notice.escalated) == (Kind.FIRING, Reason.NEW, False)
    assert line.at(30, FIRING) == []
    assert line.at(59, FIRING) == []
    assert line.alert.notification_count == 1


def test_escalation_after_escalation_seconds_then_reminders():
    line = Timeline()
    line.at(0, FIRING)
    assert line.at(119, FIRING) == []
    [escalation] = line.at(120, FIRING)
    assert escalation.reason is Reason.ESCALATION and escalation.escalated
    assert line.at(121, FIRING) == []
    assert line.at(120 + 3599, FIRING) == []
    [reminder] = line.at(120 + 3600, FIRING)
    assert reminder.reason is Reason.REMINDER and reminder.escalated
    assert line.alert.notification_count == 3


def test_severity_rise_notifies_at_once_even_inside_dedupe():
    line = Timeline()
    line.at(0, FIRING)
    [raised] = line.at(10, result(Status.CRITICAL, Severity.CRITICAL))
    assert raised.reason is Reason.SEVERITY_RAISED
    assert line.at(20, FIRING) == []  # a drop is not news
    assert line.at(30, result(Status.CRITICAL, Severity.CRITICAL)) == []  # already said


def test_acknowledged_alert_neither_escalates_nor_reminds_but_resolves_loudly():
    line = Timeline()
    line.at(0, FIRING)
    line.acknowledge(T0 + timedelta(seconds=5))
    assert line.at(500, FIRING) == []
    assert line.at(10_000, FIRING) == []
    [resolved] = line.at(10_001, OK)
    assert resolved.kind is Kind.RESOLVED
    assert line.alert.acknowledged_at is None  # the next episode starts unacknowledged


def test_resolved_carries_the_escalation_flag_for_the_pager():
    line = Timeline()
    line.at(0, FIRING)
    line.at(120, FIRING)
    [resolved] = line.at(130, OK)
    assert resolved.kind is Kind.RESOLVED and resolved.escalated


def test_unknown_never_resolves_and_is_counted():
    line = Timeline()
    line.at(0, FIRING)
    assert line.at(10, UNKNOWN) == []
    assert line.at(20, UNKNOWN) == []
    assert line.alert.firing is True
    assert line.alert.consecutive_unknown == 2
    assert line.alert.unknown_reason == "exchange down"
    assert line.at(30, FIRING) == []  # same episode, still deduplicated
    assert line.alert.consecutive_unknown == 0


def test_muted_firing_is_recorded_then_notified_when_the_mute_ends():
    line = Timeline()
    assert line.at(0, FIRING, muted=True) == []
    assert line.alert.firing is True
    [late] = line.at(300, FIRING, muted=False)
    assert late.reason is Reason.UNMUTED


def test_muted_episode_resolves_silently():
    line = Timeline()
    line.at(0, FIRING, muted=True)
    assert line.at(10, OK) == []  # nothing was said, so no RESOLVED either


def test_flap_starts_a_new_episode_each_time():
    line = Timeline()
    assert len(line.at(0, FIRING)) == 1
    assert line.at(10, OK)[0].kind is Kind.RESOLVED
    [again] = line.at(20, FIRING)
    assert again.reason is Reason.NEW
    assert line.alert.notification_count == 1


@pytest.mark.parametrize(
    ("consecutive", "expected"),
    [(1, Status.UNKNOWN), (2, Status.UNKNOWN), (3, Status.WARNING), (7, Status.WARNING)],
)
def test_check_failing_fires_after_n_unknowns(consecutive, expected):
    failing = check_failing_result(UNKNOWN, 3, consecutive)
    assert failing.status is expected
    assert failing.name == "check_failing:reconcile"
    assert failing.title == "Check failing: reconcile"
    if expected is Status.WARNING:
        assert "exchange down" in failing.summary


def test_check_failing_resolves_when_the_check_evaluates():
    assert check_failing_result(FIRING, 3, 0).status is Status.OK


def test_inhibition_only_silences_exchange_caused_check_failing_while_api_errors_fires():
    from alerts.muting import Mutes

    def mutes(alarm: bool) -> Mutes:
        return Mutes(True, frozenset(), {}, Severity.WARNING, exchange_alarm=alarm)

    exchange_blind = {"exchange_unavailable": True}
    assert mutes(True).inhibits("check_failing:reconcile", exchange_blind)
    assert not mutes(False).inhibits("check_failing:reconcile", exchange_blind)
    assert not mutes(True).inhibits("check_failing:heartbeat", {"exchange_unavailable": False})
    assert not mutes(True).inhibits("reconcile", exchange_blind)  # the alerts themselves: never


def test_a_check_failing_alert_is_muted_with_its_check():
    from alerts.muting import Mutes
    from store.models import Silence

    until = datetime(2026, 11, 27, 14, tzinfo=UTC)
    silences = {"reconcile": Silence(until=until)}
    silenced = Mutes(True, frozenset(), silences, Severity.WARNING, False)
    disabled = Mutes(True, frozenset({"universe"}), {}, Severity.WARNING, False)
    assert silenced.reason("check_failing:reconcile", {}) == f"silenced until {until.isoformat()}"
    assert disabled.reason("check_failing:universe", {}) == "disabled in app.yaml"
    assert silenced.reason("check_failing:universe", {}) == ""
    assert disabled.reason("universe", {}) == "disabled in app.yaml"


def test_an_unknown_result_names_its_failed_inputs_and_whether_the_exchange_caused_it():
    from checks.reconcile import Reconcile
    from core.inputs import InputName, Inputs
    from tests.helpers import policy

    inputs = Inputs()
    inputs.errors[InputName.EXCHANGE_HOLDINGS] = "binance fetch_balance: API key rejected"
    inputs.exchange_failures.add(InputName.EXCHANGE_HOLDINGS)
    inputs.errors[InputName.EXCHANGE_TICKERS] = "binance fetch_tickers: API key rejected"
    inputs.exchange_failures.add(InputName.EXCHANGE_TICKERS)
    inputs.values[InputName.BOT_STATE] = object()
    inputs.values[InputName.EXCHANGE_MARKETS] = object()
    result = Reconcile().run(inputs, policy(), T0)
    assert result.status is Status.UNKNOWN
    assert set(result.context["failed_inputs"]) == {"exchange_holdings", "exchange_tickers"}
    assert result.context["exchange_unavailable"] is True
    inputs.errors[InputName.BOT_STATE] = "data/state.json: state file not found"
    assert Reconcile().run(inputs, policy(), T0).context["exchange_unavailable"] is False
