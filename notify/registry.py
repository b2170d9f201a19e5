"""The channel types (one module each in `notify.channels`, found without a hand-kept list)
and the channels in force: an always-on console, the single `webhook_url`, `channels:`."""

from __future__ import annotations

from urllib.parse import urlsplit

import notify.channels
from config.loader import Settings
from config.models import ChannelSettings
from config.redact import secret_values
from core.plugins import concrete_subclasses
from notify.base import Channel
from notify.channels.console import ConsoleChannel, ConsoleSettings
from notify.channels.slack import SlackChannel, SlackSettings
from notify.channels.webhook import WebhookChannel, WebhookSettings

SINGLE_WEBHOOK = "webhook"


def _discover() -> dict[str, type[Channel]]:
    return {
        _type_of(channel.settings_model): channel
        for channel in concrete_subclasses(notify.channels, Channel)
    }


def _type_of(model: type[ChannelSettings]) -> str:
    [name] = model.model_fields["type"].annotation.__args__  # type: ignore[union-attr]
    return str(name)


CHANNEL_TYPES = _discover()


def channel_settings_models() -> tuple[type[ChannelSettings], ...]:
    """What `channels:` entries may be, told apart by `type`."""
    return tuple(channel.settings_model for channel in CHANNEL_TYPES.values())


def build_channels(settings: Settings) -> dict[str, Channel]:
    """Every channel by name. A `console` entry in `channels:` replaces the implicit one."""
    console = ConsoleSettings(name="console", type="console")
    channels: dict[str, Channel] = {"console": ConsoleChannel(console)}
    service = settings.app.monitoring.alert_service
    if service.webhook_url is not None:
        single = {
            "name": SINGLE_WEBHOOK,
            "url": service.webhook_url,
            "min_severity": service.min_severity,
        }
        if is_slack_hook(service.webhook_url.get_secret_value()):
            channels[SINGLE_WEBHOOK] = SlackChannel(SlackSettings(type="slack", **single))
        else:
            channels[SINGLE_WEBHOOK] = WebhookChannel(WebhookSettings(type="webhook", **single))
    for entry in settings.app.channels:
        channels[entry.name] = CHANNEL_TYPES[entry.type](entry)
    secrets = secret_values(settings)
    for channel in channels.values():
        channel.hide(secrets)
    return channels


def is_slack_hook(url: str) -> bool:
    return (urlsplit(url).hostname or "").endswith("hooks.slack.com")
