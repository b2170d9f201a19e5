"""Channel formats: Slack Block Kit within its limits, PagerDuty events, routing rules."""

from __future__ import annotations

from pathlib import Path

from config.loader import Settings
from config.models import AppConfig, Policy
from core.status import Severity
from notify.channels import build_channels, is_slack_hook
from notify.console import ConsoleChannel
from notify.http import parse_retry_after
from notify.pagerduty import pagerduty_events
from notify.slack import SlackChannel, slack_message
from notify.webhook import WebhookChannel


def body(**overrides):
    document = {
        "version": 1,
        "key": "default:reconcile",
        "account": "default",
        "alert": "reconcile",
        "title": "Reconcile Mismatch",
        "severity": "WARNING",
        "status": "firing",
        "escalated": False,
        "message": "1 position differs from the exchange",
        "context": {"total_count": 1, "action": "syncing_to_exchange_truth"},
        "first_seen": "2026-11-27T03:00:00+00:00",
        "last_seen": "2026-11-27T03:05:00+00:00",
        "notification_count": 1,
        "runbook": "Compare the bot's positions with the exchange.",
    }
    document.update(overrides)
    return document


def test_slack_message_has_header_text_fields_action_and_runbook():
    message = slack_message(body())
    assert message["text"].endswith("Reconcile Mismatch: 1 position differs from the exchange")
    header, section, fields, footer, runbook = message["blocks"]
    assert header["type"] == "header" and "WARNING" in header["text"]["text"]
    assert section["text"]["text"] == "1 position differs from the exchange"
    assert fields["fields"] == [{"type": "mrkdwn", "text": "*total_count*\n1"}]
    assert "syncing_to_exchange_truth" in footer["elements"][-1]["text"]
    assert "Compare the bot's positions" in runbook["text"]["text"]


def test_slack_message_stays_within_block_kit_limits():
    huge = body(
        title="T" * 500,
        message="m" * 10_000,
        context={f"key{index}": "v" * 5000 for index in range(60)},
        runbook="r" * 9000,
    )
    message = slack_message(huge)
    blocks = message["blocks"]
    assert len(blocks) <= 50
    assert len(blocks[0]["text"]["text"]) <= 150
    assert len(message["text"]) <= 3000
    for block in blocks:
        if block["type"] == "section":
            assert len(block.get("fields", [])) <= 10
            assert all(len(field["text"]) <= 2000 for field in block.get("fields", []))
            assert len(block.get("text", {}).get("text", "")) <= 3000
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


def test_slack_resolved_and_test_headlines():
    assert "RESOLVED" in slack_message(body(status="resolved"))["blocks"][0]["text"]["text"]
    assert "[TEST]" in slack_message(body(status="test"))["blocks"][0]["text"]["text"]


def test_pagerduty_trigger_maps_severity_and_details():
    [trigger] = pagerduty_events(body(severity="CRITICAL", escalated=True))
    assert trigger["event_action"] == "trigger"
    assert trigger["dedup_key"] == "default:reconcile"
    assert trigger["payload"]["severity"] == "critical"
    assert trigger["payload"]["source"] == "alert-matrix/default"
    assert trigger["payload"]["custom_details"]["escalated"] is True
    assert trigger["payload"]["custom_details"]["total_count"] == 1
    assert len(pagerduty_events(body(message="x" * 5000))[0]["payload"]["summary"]) <= 1024


def test_pagerduty_resolve_and_test():
    assert pagerduty_events(body(status="resolved")) == [
        {"event_action": "resolve", "dedup_key": "default:reconcile"}
    ]
    trigger, resolve = pagerduty_events(body(status="test"))
    assert trigger["dedup_key"] == resolve["dedup_key"] == "test:default:reconcile"
    assert trigger["payload"]["severity"] == "info"


def test_routing_floor_and_escalation_channels():
    chat = WebhookChannel("chat", "http://127.0.0.1:1/x", Severity.WARNING, False, 1)
    pager = WebhookChannel("pager", "http://127.0.0.1:1/x", Severity.CRITICAL, True, 1)
    assert chat.wants(Severity.WARNING, escalated=False, status="firing")
    assert not chat.wants(Severity.INFO, escalated=False, status="firing")
    assert not pager.wants(Severity.CRITICAL, escalated=False, status="firing")
    assert pager.wants(Severity.CRITICAL, escalated=True, status="firing")
    assert pager.wants(Severity.CRITICAL, escalated=True, status="resolved")
    assert not pager.wants(Severity.WARNING, escalated=True, status="firing")
    assert pager.wants(Severity.INFO, escalated=False, status="test")
    assert ConsoleChannel().wants(Severity.INFO, escalated=False, status="firing")


def _plan_channels(url: str) -> dict:
    app = AppConfig.model_validate(
        {"monitoring": {"alert_service": {"webhook_url": url, "min_severity": "CRITICAL"}}}
    )
    return build_channels(Settings(Path("config"), app, Policy(), frozenset()))


def test_plan_webhook_url_picks_slack_format_for_slack_hooks():
    assert is_slack_hook("https://hooks.slack.com/services/T/B/X")
    assert not is_slack_hook("https://example.com/hooks.slack.com")
    slack = _plan_channels("https://hooks.slack.com/services/T/B/X")["webhook"]
    generic = _plan_channels("https://example.com/alerts")["webhook"]
    assert isinstance(slack, SlackChannel) and type(generic) is WebhookChannel
    assert slack.min_severity is Severity.CRITICAL  # the plan's min_severity applies to it


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
