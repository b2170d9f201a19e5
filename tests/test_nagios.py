"""Nagios plugin output as the monitoring-plugins guidelines define it: perfdata values in
`[-0-9.]`, thresholds in range syntax that agree with the status the plugin returns, a
bounded first line that keeps its perfdata, and a line on stdout even for a usage error."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from checks.registry import CHECKS
from core.results import STATUS_LINE_MAX, CheckResult, Perfdata, Range, decimal
from core.status import Severity, Status
from tests.helpers import policy

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
# The policy key that sets each check's threshold (None: the check has no threshold to move).
THRESHOLD_KEYS = {
    "kill_switch": None,
    "daily_loss": ("risk", "daily_stop_loss_pct"),
    "weekly_loss": ("risk", "weekly_stop_loss_pct"),
    "drawdown": ("risk", "max_drawdown_pct"),
    "api_errors": ("monitoring", "api_error_threshold"),
    "reconcile": ("monitoring", "reconcile_mismatch_threshold_usd"),
    "rejections": ("execution", "max_order_rejections"),
    "exceptions": ("monitoring", "max_exceptions_per_window"),
    "universe": ("universe", "min_eligible_assets"),
    "heartbeat": ("monitoring", "heartbeat_max_age_seconds"),
}
PERFDATUM = re.compile(
    r"^(?P<label>[^=' ]+)=(?P<value>-?[0-9.]+)(?P<uom>[a-zA-Z%]*)"
    r"(;(?P<warn>[^;]*))?(;(?P<crit>[^;]*))?(;(?P<min>-?[0-9.]*))?(;(?P<max>-?[0-9.]*))?$"
)


def alerts(text: str, value: float) -> bool:
    """The guidelines' range semantics, read from the rendered text (not from `Range`)."""
    inside = text.startswith("@")
    text = text.removeprefix("@")
    start_text, _, end_text = text.rpartition(":") if ":" in text else ("0", "", text)
    start = float("-inf") if start_text == "~" else float(start_text or 0)
    end = float(end_text) if end_text else float("inf")
    within = start <= value <= end
    return within if inside else not within


def status_from_perfdata(rendered: str) -> Status:
    match = PERFDATUM.match(rendered)
    assert match, f"not guideline perfdata: {rendered}"
    value = float(match["value"])
    if match["crit"] and alerts(match["crit"], value):
        return Status.CRITICAL
    if match["warn"] and alerts(match["warn"], value):
        return Status.WARNING
    return Status.OK


def _results_around_each_threshold(name: str) -> list[CheckResult]:
    """The check's own examples (firing and clear), evaluated under thresholds at, just below
    and just above each figure the examples produce."""
    check = CHECKS[name]
    examples = check.examples(policy(), NOW)
    inputs = [examples.firing, examples.clear]
    results = [check.run(each, policy(), NOW) for each in inputs]
    key = THRESHOLD_KEYS[name]
    if key is None:
        return results
    section, field = key
    default = getattr(policy().of(check.policy_part), field)
    figures = {datum.value for result in results for datum in result.perfdata} | {default}
    if name == "reconcile":  # its perfdata counts mismatches; its threshold is in USD
        figures = {row["diff_usd"] for r in results for row in r.context["mismatches"]}
    integer = isinstance(default, int)
    candidates = {f + d for f in figures for d in (-1, -0.5, -0.001, 0, 0.001, 0.5, 1)}
    for threshold in sorted(candidates):
        if threshold <= 0 or (integer and threshold != int(threshold)):
            continue
        if section == "risk" and threshold > 100:
            continue
        moved = policy(**{section: {field: int(threshold) if integer else threshold}})
        results += [check.run(each, moved, NOW) for each in inputs]
    return results


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_perfdata_thresholds_agree_with_the_status_at_and_around_each_threshold(name):
    assert set(THRESHOLD_KEYS) == set(CHECKS)
    results = _results_around_each_threshold(name)
    statuses = {result.status for result in results}
    assert Status.OK in statuses and CHECKS[name].severity.status in statuses
    for result in results:
        assert result.status is not Status.UNKNOWN, result.summary
        [*_, perf] = result.status_line().rpartition(" | ")
        data = perf.split(" ")
        assert all(PERFDATUM.match(d) for d in data), perf
        assert any(PERFDATUM.match(d)["warn"] or PERFDATUM.match(d)["crit"] for d in data)
        worst = Status.worst([status_from_perfdata(d) for d in data])
        assert worst is result.status, (result.summary, perf)


def test_values_are_decimal_never_scientific():
    assert decimal(1.0368e06) == "1036800"
    assert decimal(1e-7) == "0.0000001" and decimal(-2.5) == "-2.5" and decimal(7) == "7"
    assert decimal(float("nan")) == "U"
    datum = Perfdata("age", 1_036_800.0, "s", crit=Range.above(300), minimum=0)
    assert datum.render() == "age=1036800s;;300;0"


def test_ranges_render_in_guideline_syntax():
    assert Range.above(10).render() == "10"
    assert Range.below(2).render() == "2:"
    assert Range.at_least(3).render() == "@3:"
    assert Range(None, 10).render() == "~:10" and Range(10, 20, inside=True).render() == "@10:20"


def test_the_first_line_is_bounded_one_line_and_keeps_its_perfdata():
    perf = Perfdata("exceptions", 2, crit=Range.at_least(2), minimum=0)
    result = CheckResult(
        "exceptions",
        "Exception Burst",
        Status.CRITICAL,
        Severity.CRITICAL,
        "latest ValueError: " + "<x> | y\n" * 10_000,
        perfdata=(perf,),
    )
    line = result.status_line()
    assert len(line.encode()) <= STATUS_LINE_MAX
    assert "\n" not in line and line.count("|") == 1
    assert line.endswith("... | exceptions=2;;@2:;0")


def test_usage_errors_print_an_unknown_line_on_stdout(workspace):
    for args in (["check"], ["check", "kill_switch", "--bogus"], ["bogus-command"]):
        result = workspace.run(*args)
        assert result.returncode == 3
        assert result.stdout.startswith("UNKNOWN - alert-matrix"), args
        assert len(result.stdout.splitlines()) == 1
