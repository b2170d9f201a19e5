"""The error-log source: an input it cannot read makes the checks UNKNOWN with the reason,
never OK; what the JSON-lines file holds is ingested before the windows are read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from freezegun import freeze_time

from checks.exceptions import Exceptions
from checks.rejections import Rejections
from core.status import Status
from store.db import Database
from tests.helpers import evaluate, settings

T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


def test_an_unreadable_error_log_file_is_unknown(database, tmp_path):
    unreadable = tmp_path / "data" / "errors.jsonl"
    unreadable.mkdir()
    result = evaluate(settings(database, error_log_file=unreadable), Rejections())
    assert result.status is Status.UNKNOWN
    assert f"{unreadable}: cannot read the error log: Is a directory" in result.summary


def test_a_broken_database_is_unknown(tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 50)
    database = Database(f"sqlite:///{broken}")
    result = evaluate(settings(database), Exceptions())
    assert result.status is Status.UNKNOWN
    assert "error log database: DatabaseError: file is not a database" in result.summary


def test_the_file_is_ingested_before_the_check_reads_and_bad_lines_are_shown(database, tmp_path):
    errors_file = tmp_path / "data" / "errors.jsonl"
    lines = [{"ts": T0.isoformat(), "kind": "exception", "code": "KeyError"}] * 2
    errors_file.write_text("\n".join(map(json.dumps, lines)) + "\n{broken\n")
    with freeze_time(T0):
        result = evaluate(settings(database, error_log_file=errors_file), Exceptions())
    assert result.status is Status.CRITICAL
    assert result.context["exception_types"] == {"KeyError": 2}
    assert result.context["error_log_bad_lines"] == 1
    assert result.context["last_bad_line"].startswith(f"{errors_file}:3: not valid JSON")
