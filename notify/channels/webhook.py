"""The generic webhook: the documented JSON body, exactly, to `url`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import SecretStr

from config.models import ChannelSettings
from core.notification import Notification
from notify.http import HttpChannel


class WebhookSettings(ChannelSettings):
    type: Literal["webhook"]
    url: SecretStr


class WebhookChannel(HttpChannel):
    settings_model = WebhookSettings

    def bodies(self, notification: Notification) -> list[dict[str, Any]]:
        return [notification.body()]
