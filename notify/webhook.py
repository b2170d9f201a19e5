"""The generic webhook: the SPEC §6 body, exactly, as JSON."""

from __future__ import annotations

from typing import Any

from notify.http import HttpChannel


class WebhookChannel(HttpChannel):
    def bodies(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        return [payload]
