"""Which channels want what, the single `webhook_url`, and the answers every HTTP channel
reads (Retry-After)."""

from __future__ import annotations

from pathlib import Path

from config.loader import Settings
from config.models import AppConfig
from core.notification import NotificationKind
from core.status import Severity
from jobs.settings import SCHEMA
from notify.channels.console import ConsoleChannel, ConsoleSettings
from notify.channels.slack import SlackChannel
from notify.channels.webhook import WebhookChannel, WebhookSettings
from notify.http import parse_retry_after
from notify.registry import CHANNEL_TYPES, build_channels, is_slack_hook
from tests.channels.sample import notification
from tests.helpers import policy


def _webhook(name: str, floor: str, escalation: bool) -> WebhookChannel:
    settings = WebhookSettings(
        name=name,
        type="webhook",
        url="http://127.0.0.1:1/x",
        min_severity=floor,
        escalation=escalation,
    )
    return WebhookChannel(settings)


def test_routing_floor_and_escalation_channels():
    chat, pager = _webhook("chat", "WARNING", False), _webhook("pager", "CRITICAL", True)
    warning, critical = notification(), notification(severity=Severity.CRITICAL)
    assert chat.wants(warning)
    assert not chat.wants(notification(severity=Severity.INFO))
    assert not pager.wants(critical)
    assert pager.wants(notification(severity=Severity.CRITICAL, escalated=True))
    resolved = notification(
        severity=Severity.CRITICAL, escalated=True, kind=NotificationKind.RESOLVED
    )
    assert pager.wants(resolved)
    assert not pager.wants(notification(escalated=True))
    assert pager.wants(notification(severity=Severity.INFO, kind=NotificationKind.TEST))
    console = ConsoleChannel(ConsoleSettings(name="console", type="console"))
    assert console.wants(notification(severity=Severity.INFO))


def _plan_channels(url: str) -> dict:
    app = AppConfig.model_validate(
        {"monitoring": {"alert_service": {"webhook_url": url, "min_severity": "CRITICAL"}}}
    )
    return build_channels(Settings(Path("config"), app, policy(), SCHEMA, frozenset()))


def test_plan_webhook_url_picks_slack_format_for_slack_hooks():
    assert is_slack_hook("https://hooks.slack.com/services/T/B/X")
    assert not is_slack_hook("https://example.com/hooks.slack.com")
    slack = _plan_channels("https://hooks.slack.com/services/T/B/X")["webhook"]
    generic = _plan_channels("https://example.com/alerts")["webhook"]
    assert isinstance(slack, SlackChannel) and type(generic) is WebhookChannel
    assert slack.min_severity is Severity.CRITICAL  # the service's min_severity applies to it


def test_every_channel_module_registers_its_type():
    assert {"console", "webhook", "slack", "pagerduty"} <= set(CHANNEL_TYPES)


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
