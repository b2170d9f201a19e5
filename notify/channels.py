"""The channels in force: an always-on console, the plan's single webhook, and `channels:`."""

from __future__ import annotations

from urllib.parse import urlsplit

from config.loader import Settings
from config.models import Channel as ChannelSettings
from notify.base import Channel
from notify.console import ConsoleChannel
from notify.pagerduty import PagerDutyChannel
from notify.slack import SlackChannel
from notify.webhook import WebhookChannel

PLAN_WEBHOOK = "webhook"
_DEFAULT_TIMEOUT = 10.0


def build_channels(settings: Settings) -> dict[str, Channel]:
    """Every channel by name. A `console` entry in `channels:` replaces the implicit one."""
    channels: dict[str, Channel] = {"console": ConsoleChannel()}
    service = settings.app.monitoring.alert_service
    if service.webhook_url is not None:
        url = service.webhook_url.get_secret_value()
        kind = SlackChannel if is_slack_hook(url) else WebhookChannel
        channels[PLAN_WEBHOOK] = kind(
            PLAN_WEBHOOK, url, service.min_severity_level, False, _DEFAULT_TIMEOUT
        )
    for entry in settings.app.channels:
        channels[entry.name] = _build(entry)
    return channels


def is_slack_hook(url: str) -> bool:
    return (urlsplit(url).hostname or "").endswith("hooks.slack.com")


def _build(entry: ChannelSettings) -> Channel:
    floor = entry.min_severity_level
    if entry.type == "console":
        return ConsoleChannel(entry.name, floor)
    if entry.type == "pagerduty":
        key = entry.routing_key.get_secret_value() if entry.routing_key else ""
        return PagerDutyChannel(
            entry.name, entry.address(), key, floor, entry.escalation, entry.timeout_seconds
        )
    kind = SlackChannel if entry.type == "slack" else WebhookChannel
    return kind(entry.name, entry.address(), floor, entry.escalation, entry.timeout_seconds)
