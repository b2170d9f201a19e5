"""PagerDuty Events API v2: trigger, resolve, and a test that resolves itself."""

from __future__ import annotations

from core.notification import NotificationKind
from core.status import Severity
from notify.channels.pagerduty import pagerduty_events
from tests.channels.sample import notification


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
