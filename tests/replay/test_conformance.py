"""The README's conformance table is what the code makes of the replays today."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.replay.conformance import OK, table


def test_the_readme_table_is_current(replay):
    current = table(replay)
    assert current in (ROOT / "README.md").read_text(), (
        "README.md: replace the conformance table with the output of bench/conformance.py:\n"
        + current
    )


def test_no_false_ok_and_no_false_alarm_on_a_recorded_answer(replay):
    rows = table(replay).splitlines()[2:]
    assert all("❌" not in row for row in rows), rows
    # markets, balance, tickers, equity, reconcile, universe: read right everywhere
    assert all(row.count(OK) >= 6 for row in rows), rows
