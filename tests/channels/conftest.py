"""A real HTTP receiver on 127.0.0.1 for every channel test."""

from __future__ import annotations

import pytest

from emulator.receiver import WebhookReceiver


@pytest.fixture
def receiver():
    with WebhookReceiver() as hooks:
        yield hooks
