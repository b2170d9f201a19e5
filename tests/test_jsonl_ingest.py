"""JSON-lines ingestion: every complete line exactly once, across runs, restarts, rotation
(rename and copytruncate), truncation, partial lines, bad lines and chunk boundaries."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

import pytest

from errorlog.ingest import cursor_key, ingest_error_log
from store.db import Database
from store.error_log_cursors import find_cursor
from tests.helpers import stored_events

T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


def line(n: int, **fields) -> str:
    return (
        json.dumps(
            {
                "ts": f"2026-11-27T14:00:{n % 60:02d}Z",
                "kind": "exception",
                "code": f"E{n}",
                **fields,
            }
        )
        + "\n"
    )


def append(path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def codes(database) -> list[str]:
    return [event.code for event in stored_events(database)]


def cursor(database, path):
    with database.read() as session:
        return find_cursor(session, *cursor_key(path))


@pytest.fixture
def log_file(tmp_path):
    return tmp_path / "data" / "errors.jsonl"


def ingest(database, path, chunk_bytes=1 << 20):
    return ingest_error_log(database, path, "default", T0, chunk_bytes=chunk_bytes)


def test_each_line_once_across_runs_and_a_restart(database, log_file):
    append(log_file, line(1) + line(2))
    assert ingest(database, log_file).lines_ingested == 2
    assert ingest(database, log_file).lines_ingested == 0
    append(log_file, line(3))
    restarted = Database(database.url)  # a new process: only the database remembers
    try:
        assert ingest(restarted, log_file).lines_ingested == 1
    finally:
        restarted.close()
    assert codes(database) == ["E1", "E2", "E3"]
    assert cursor(database, log_file).lines_ingested == 3


def test_a_missing_file_is_nothing_to_ingest(database, log_file):
    report = ingest(database, log_file)
    assert (report.present, report.lines_ingested) == (False, 0)


def test_a_partial_last_line_waits_for_its_newline(database, log_file):
    text = line(1) + line(2)
    append(log_file, text[:-10])
    assert ingest(database, log_file).lines_ingested == 1
    append(log_file, text[-10:])
    assert ingest(database, log_file).lines_ingested == 1
    assert codes(database) == ["E1", "E2"]


def test_a_bad_line_is_skipped_counted_and_reported(database, log_file, caplog):
    append(log_file, line(1) + "not json\n" + line(2, kind="meltdown") + "\n" + line(3))
    with caplog.at_level(logging.WARNING):
        report = ingest(database, log_file)
    assert (report.lines_ingested, report.bad_lines) == (2, 2)
    assert codes(database) == ["E1", "E3"]
    assert f"{log_file}:2: not valid JSON" in caplog.text
    assert f"{log_file}:3: kind 'meltdown' is not one of" in caplog.text
    state = cursor(database, log_file)
    assert (state.lines_ingested, state.bad_lines) == (2, 2)
    assert state.last_bad_line.startswith(f"{log_file}:3: kind 'meltdown'")
    ingest(database, log_file)  # counted once, not on every run
    assert cursor(database, log_file).bad_lines == 2


def test_rename_rotation_finishes_the_old_file_first(database, log_file):
    append(log_file, line(1) + line(2))
    ingest(database, log_file)
    append(log_file, line(3) + line(4))  # written, not yet read
    os.rename(log_file, f"{log_file}.1")
    append(log_file, line(5))
    ingest(database, log_file)
    assert codes(database) == ["E1", "E2", "E3", "E4", "E5"]
    append(log_file, line(6))
    ingest(database, log_file)
    assert codes(database)[-1] == "E6" and len(codes(database)) == 6


def test_after_a_rename_the_old_file_is_followed_until_the_bot_writes_the_new(database, log_file):
    append(log_file, line(1))
    ingest(database, log_file)
    os.rename(log_file, f"{log_file}.1")
    log_file.touch()  # logrotate's `create`: the bot has not reopened yet
    rotated = log_file.with_name(f"{log_file.name}.1")
    append(rotated, line(2))  # still written through the old handle
    ingest(database, log_file)
    append(rotated, line(3)[:-5])  # half a line when the bot reopens
    append(log_file, line(4))
    report = ingest(database, log_file)
    assert codes(database) == ["E1", "E2", "E4"]
    assert report.bad_lines == 1
    assert "incomplete last line" in cursor(database, log_file).last_bad_line


def test_copytruncate_finishes_the_copy_then_restarts_at_zero(database, log_file):
    append(log_file, line(1) + line(2))
    ingest(database, log_file)
    append(log_file, line(3))  # not read before the rotation
    copy = log_file.with_name(f"{log_file.name}.1")
    copy.write_bytes(log_file.read_bytes())
    with log_file.open("r+") as handle:
        handle.truncate(0)
    append(log_file, line(4))
    ingest(database, log_file)
    assert codes(database) == ["E1", "E2", "E3", "E4"]


def test_truncation_without_a_copy_restarts_at_zero(database, log_file, caplog):
    append(log_file, line(1) + line(2) + line(3))
    ingest(database, log_file)
    with log_file.open("r+") as handle:
        handle.truncate(0)
    append(log_file, line(4))
    with caplog.at_level(logging.WARNING):
        ingest(database, log_file)
    assert codes(database) == ["E1", "E2", "E3", "E4"]
    assert "reading" in caplog.text and "from its start" in caplog.text


def test_truncated_and_regrown_past_the_cursor_is_told_by_its_first_line(database, log_file):
    append(log_file, line(1))
    ingest(database, log_file)
    with log_file.open("r+") as handle:
        handle.truncate(0)
    append(log_file, line(2, message="a longer first line than before") + line(3))
    ingest(database, log_file)
    assert codes(database) == ["E1", "E2", "E3"]


def test_small_chunks_and_an_over_long_line(database, log_file):
    lines = [line(n) for n in range(40)]
    lines[17] = (
        json.dumps({"ts": "2026-11-27T14:00:00Z", "kind": "api_ok", "message": "x" * 500}) + "\n"
    )
    append(log_file, "".join(lines))
    report = ingest(database, log_file, chunk_bytes=256)
    assert (report.lines_ingested, report.bad_lines) == (39, 1)
    assert codes(database) == [f"E{n}" for n in range(40) if n != 17]
    assert f"{log_file}:18: line longer than" in cursor(database, log_file).last_bad_line


def test_lines_belong_to_the_configured_account_unless_they_say(database, log_file):
    append(log_file, line(1) + line(2, account="sub-1", source="runner"))
    ingest(database, log_file)
    events = stored_events(database)
    assert [(e.account, e.source) for e in events] == [("default", "bot"), ("sub-1", "runner")]


def test_a_file_that_cannot_be_read_raises(database, log_file):
    log_file.mkdir(parents=True)
    with pytest.raises(OSError):
        ingest(database, log_file)
