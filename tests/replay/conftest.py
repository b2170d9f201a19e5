"""The replay server, shared by the tests of this folder; each test starts from the
recordings as stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.replay import ReplayExchange
from tests.replay.profiles import RECORDINGS


@pytest.fixture(scope="session")
def replay_server() -> Iterator[ReplayExchange]:
    with ReplayExchange(RECORDINGS) as server:
        yield server


@pytest.fixture
def replay(replay_server: ReplayExchange) -> Iterator[ReplayExchange]:
    replay_server.reload()
    replay_server.reset_counts()
    yield replay_server
    replay_server.reload()
