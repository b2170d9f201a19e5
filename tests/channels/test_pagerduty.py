"""PagerDuty Events API v2: trigger, resolve, and a test that resolves itself."""

from __future__ import annotations

import json

from core.notification import NotificationKind
from core.status import Severity
from notify.channels import pagerduty
from notify.channels.pagerduty import (
    DEDUP_KEY_MAX,
    SUMMARY_MAX,
    PagerDutyChannel,
    PagerDutySettings,
    dedup_key,
    pagerduty_events,
)
from tests.channels.sample import HOSTILE, notification


def test_pagerduty_trigger_maps_severity_and_details():
    [trigger] = pagerduty_events(notification(severity=Severity.CRITICAL, escalated=True))
    assert trigger["event_action"] == "trigger"
    assert trigger["dedup_key"] == "default:reconcile"
    assert trigger["payload"]["severity"] == "critical"
    assert trigger["payload"]["source"] == "alert-matrix/default"
    assert trigger["payload"]["timestamp"] == "2026-11-27T03:05:00+00:00"
    assert trigger["payload"]["custom_details"]["escalated"] is True
    assert trigger["payload"]["custom_details"]["total_count"] == 1
    long = pagerduty_events(notification(message="x" * 5000))
    assert len(long[0]["payload"]["summary"]) <= 1024


def test_pagerduty_resolve_and_test():
    assert pagerduty_events(notification(kind=NotificationKind.RESOLVED)) == [
        {"event_action": "resolve", "dedup_key": "default:reconcile"}
    ]
    trigger, resolve = pagerduty_events(notification(kind=NotificationKind.TEST))
    assert trigger["dedup_key"] == resolve["dedup_key"] == "test:default:reconcile"
    assert trigger["payload"]["severity"] == "info"


def test_a_long_alert_key_becomes_a_stable_dedup_key_within_255():
    key = f"{'a' * 300}:exceptions"
    [trigger] = pagerduty_events(notification(key=key))
    [resolve] = pagerduty_events(notification(key=key, kind=NotificationKind.RESOLVED))
    assert len(trigger["dedup_key"]) == DEDUP_KEY_MAX
    assert trigger["dedup_key"] == resolve["dedup_key"] == dedup_key(key)
    assert dedup_key(key) != dedup_key(f"{'a' * 300}:rejections")  # the hash tells them apart
    assert dedup_key("default:reconcile") == "default:reconcile"


def test_a_megabyte_traceback_still_pages_within_512_kb(receiver):
    channel = PagerDutyChannel(
        PagerDutySettings(name="pd", type="pagerduty", routing_key="R0UT1NG", url=receiver.url())
    )
    channel.send(HOSTILE, "n-1")
    [request] = receiver.requests
    assert len(request.raw) < 512 * 1024
    event = json.loads(request.raw)
    assert event["payload"]["summary"].startswith(
        "Reconcile Mismatch: boom in <module> & <!channel>"
    )
    assert len(event["payload"]["summary"]) <= SUMMARY_MAX
    details = event["payload"]["custom_details"]
    assert details["latest_traceback"].endswith("characters cut]")
    assert b"\\u202e" not in request.raw and b"\\u001b" not in request.raw


def test_an_event_over_the_size_limit_is_shrunk_with_a_note(monkeypatch):
    monkeypatch.setattr(pagerduty, "BODY_MAX", 3000)
    big = notification(context={f"figure_{i}": "v" * 400 for i in range(20)})
    [trigger] = pagerduty_events(big)
    assert len(json.dumps(trigger).encode()) <= 3000
    details = trigger["payload"]["custom_details"]
    assert details["runbook"] and details["escalated"] is False
    assert details["details_cut"].endswith("more details cut to fit PagerDuty's limits")
