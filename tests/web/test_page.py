"""The page's content and actions, through its WSGI interface (no browser)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from store.models import Alert, AlertEvent, Silence
from tests.web.conftest import TOKEN, add_snapshots, basic, client
from web.equity import equity_series


def _post(page, action: str, user: str = "alice", **form):
    form_page = page.get("/alert/default:kill_switch", headers=basic(user)).text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form_page).group(1)
    url = f"/act/{action}/default:kill_switch"
    return page.post(url, headers=basic(user), data={"csrf": csrf, **form})


def test_the_board_shows_every_alert_in_matrix_order(firing, database):
    html = client(firing, database).get("/", headers=basic("alice")).text
    keys = re.findall(r'<tr class="row-[a-z-]+" data-key="([^"]+)" data-state="([^"]+)"', html)
    assert keys[0] == ("default:kill_switch", "FIRING")
    names = [key.split(":")[1] for key, _ in keys]
    assert names == [
        "kill_switch",
        "daily_loss",
        "weekly_loss",
        "drawdown",
        "api_errors",
        "reconcile",
        "rejections",
        "exceptions",
        "universe",
        "heartbeat",
    ]
    assert dict(keys)["default:heartbeat"] == "NO DATA"
    assert "Watchdog health" in html and "kill_switch" in html.split("Watchdog health")[1]
    assert TOKEN not in html


def test_ack_from_the_page_writes_the_cli_history_row(firing, database):
    page = client(firing, database)
    answer = _post(page, "ack")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/?done=ack")
    with database.read() as session:
        alert = session.get(Alert, "default:kill_switch")
        event = session.scalars(select(AlertEvent).where(AlertEvent.event == "acknowledged")).one()
    assert alert.acknowledged_by == "alice"
    assert (event.key, event.severity, event.summary) == (
        "default:kill_switch",
        "CRITICAL",
        "by alice",
    )
    board = page.get("/?done=ack", headers=basic("alice")).text
    assert "Acknowledged." in board and 'data-state="ACKNOWLEDGED"' in board
    assert _post(page, "ack").status_code == 303  # again: nothing more is written
    with database.read() as session:
        assert len(session.scalars(select(AlertEvent)).all()) == 2


def test_silence_and_unsilence_from_the_page(firing, database):
    page = client(firing, database)
    assert _post(page, "silence", duration="2h", reason="drill <b>x</b>").status_code == 303
    with database.read() as session:
        silence = session.scalars(select(Silence)).one()
        event = session.scalars(select(AlertEvent).where(AlertEvent.event == "silenced")).one()
    assert (silence.name, silence.created_by, silence.reason) == (
        "kill_switch",
        "alice",
        "drill <b>x</b>",
    )
    assert event.summary.endswith("by alice: drill <b>x</b>")
    html = page.get("/alert/default:kill_switch", headers=basic("alice")).text
    assert "SILENCED" in html and "drill &lt;b&gt;x&lt;/b&gt;" in html
    assert _post(page, "unsilence").status_code == 303
    missing = _post(page, "unsilence")
    assert missing.status_code == 409 and "has no active silence" in missing.text
    bad = _post(page, "silence", duration="soon")
    assert bad.status_code == 409 and "cannot read duration" in bad.text


def test_the_alert_page_has_figures_runbook_timeline_and_deliveries(firing, database):
    html = client(firing, database).get("/alert/default:kill_switch", headers=basic("a")).text
    for expected in (
        "Runbook:",
        "trading_halted",
        "age_seconds",
        "Timeline",
        "firing",
        "Deliveries",
        "console",
        "Ack",
    ):
        assert expected in html, expected
    missing = client(firing, database).get("/alert/default:nothing", headers=basic("a"))
    assert missing.status_code == 404


def test_the_fragment_is_the_body_only(firing, database):
    html = client(firing, database).get("/?part=body", headers=basic("a")).text
    assert "<html" not in html and 'data-key="default:kill_switch"' in html


def _loss_context(database, name: str, baseline: float, threshold: float) -> None:
    with database.write() as session:
        now = datetime.now(UTC)
        session.add(
            Alert(
                key=f"default:{name}",
                account="default",
                name=name,
                title=name,
                severity="CRITICAL",
                last_status="OK",
                last_evaluated_at=now,
                state_since=now,
                context={"baseline": baseline, "threshold_pct": threshold},
            )
        )


@freeze_time("2026-11-27 12:00:00")
def test_equity_keeps_the_extremes_and_draws_the_limits(page_settings, database):
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    values = [10_000.0] * 500
    values[250] = 8_000.0  # one dip, inside a slice of many snapshots
    add_snapshots(database, now - timedelta(days=30), [11_000.0], timedelta(0))  # older peak
    add_snapshots(database, now - timedelta(days=1), values, timedelta(days=1) / 500)
    _loss_context(database, "daily_loss", 10_000.0, 3.0)
    _loss_context(database, "drawdown", 11_000.0, 10.0)
    with database.read() as session:
        series = equity_series(session, page_settings, "default", "day", now)
    assert min(value for _, value in series.points) == 8_000.0
    assert len(series.points) <= 2 * 240
    levels = {level.kind: level.value for level in series.levels}
    assert levels == {
        "day_baseline": 10_000.0,
        "daily_limit": 9_700.0,
        "peak": 11_000.0,
        "drawdown_limit": 9_900.0,
    }
    deepest = max(depth for _, depth in series.drawdown)
    assert round(deepest, 2) == round((11_000 - 8_000) / 11_000 * 100, 2)  # the older peak
    html = client(page_settings, database).get("/", headers=basic("a")).text
    for kind in levels:
        assert f'data-kind="{kind}"' in html
    assert int(re.search(r'class="series" points="[^"]+" data-points="(\d+)"', html).group(1)) > 2
    document = client(page_settings, database).get("/equity.json", headers=basic("a")).json
    assert document["window"] == "day" and len(document["points"]) == len(series.points)


def test_the_drawdown_curve_starts_from_the_running_peak_before_the_window(page_settings, database):
    """The all-time peak is inside the window: the curve still measures its first slices from
    the highest equity before the window, not from the window's first snapshot."""
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    add_snapshots(database, now - timedelta(days=3), [11_000.0, 10_500.0], timedelta(days=1))
    inside = [10_000.0, 12_000.0, 10_800.0]  # the all-time peak in the middle
    add_snapshots(database, now - timedelta(hours=20), inside, timedelta(hours=8))
    with database.read() as session:
        series = equity_series(session, page_settings, "default", "day", now)
    depths = [depth for _, depth in series.drawdown]
    assert depths == [round(1_000 / 11_000 * 100, 4), 0.0, round(1_200 / 12_000 * 100, 4)]


def test_health_from_check_runs_shows_each_checks_newest_run_and_a_days_failures(database):
    from store.models import CheckRun
    from web.health import watchdog_health

    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    runs = [  # check, hours ago, error
        ("kill_switch", 30, "old failure"),
        ("kill_switch", 5, "timeout"),
        ("kill_switch", 3, "timeout"),
        ("kill_switch", 1, None),
        ("rejections", 2, "database is locked"),
    ]
    with database.write() as session:
        for check, hours, error in runs:
            session.add(
                CheckRun(
                    account="default",
                    check_name=check,
                    started_at=now - timedelta(hours=hours),
                    duration_ms=250.0,
                    status="UNKNOWN" if error else "OK",
                    summary="",
                    error=error,
                )
            )
        session.add(  # another account's run counts for nothing here
            CheckRun(
                account="other",
                check_name="drawdown",
                started_at=now,
                duration_ms=1.0,
                status="OK",
                summary="",
            )
        )
    with database.read() as session:
        health = watchdog_health(
            session, "default", ["kill_switch", "rejections", "drawdown"], now, None
        )
    lines = {line.name: line for line in health.jobs}
    assert list(lines) == ["kill_switch", "rejections", "drawdown"]
    assert (lines["kill_switch"].last_run, lines["kill_switch"].status) == (
        now - timedelta(hours=1),
        "OK",
    )
    assert (lines["kill_switch"].failures, lines["kill_switch"].duration_s) == (2, 0.25)
    assert (lines["rejections"].failures, lines["rejections"].error) == (1, "database is locked")
    assert (lines["drawdown"].status, lines["drawdown"].last_run) == ("not run yet", None)
