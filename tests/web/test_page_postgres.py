"""The page's SQL on PostgreSQL: slices of equity and counts per window group the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from store.db import Database
from store.migrate import ensure_schema
from tests.helpers import add_event, settings
from tests.web.conftest import add_snapshots, basic, client

pytestmark = pytest.mark.postgres


def test_the_board_and_equity_json_on_postgresql(pg_url):
    database = Database(pg_url)
    ensure_schema(database)
    try:
        now = datetime.now(UTC)
        values = [10_000.0] * 600
        values[300] = 9_000.0
        add_snapshots(database, now - timedelta(hours=20), values, timedelta(minutes=2))
        for _ in range(3):
            add_event(database, "order_rejected", now - timedelta(seconds=30), code="X")
        page = client(settings(database), database)
        board = page.get("/", headers=basic("alice"))
        assert board.status_code == 200, board.text
        assert 'class="bar over"' in board.text  # 3 rejections reach the threshold of 3
        document = page.get("/equity.json?window=day", headers=basic("alice")).json
        assert min(value for _, value in document["points"]) == 9_000.0
        assert len(document["points"]) <= 480
    finally:
        database.close()
