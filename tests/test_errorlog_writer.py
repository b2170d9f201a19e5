"""The bot's Python way in: the writer and the logging handler, from many threads and
processes at once, and what they do when the database is broken (never raise)."""

from __future__ import annotations

import json
import logging
import multiprocessing
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from freezegun import freeze_time

from checks.registry import CHECKS
from errorlog import ErrorLog, ErrorLogHandler
from jobs.cycle import run_cycle
from jobs.runtime import Runtime
from tests.helpers import run_together, settings, stored_events

T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


@pytest.fixture
def writer(database):
    opened = ErrorLog(database.url, account="main")
    yield opened
    opened.close()


@pytest.fixture
def bot_log(writer):
    """A bot logger with the handler attached, as the README shows."""
    logger = logging.getLogger("bot.test")
    handler = ErrorLogHandler(writer)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger
    logger.removeHandler(handler)


def test_each_method_records_its_kind_with_its_fields(database, writer):
    with freeze_time(T0):
        assert writer.api_error("timeout", code=504, symbol="BTC/USD")
        assert writer.api_ok()
        assert writer.order_rejected("ETH/USD", "MIN_NOTIONAL", "order too small")
        try:
            raise RuntimeError("feed stalled")
        except RuntimeError as error:
            assert writer.exception(error, context={"cycle": 7})
    rows = [
        (e.kind, e.account, e.source, e.symbol, e.code, e.message, e.ts)
        for e in stored_events(database)
    ]
    assert rows == [
        ("api_error", "main", "bot", "BTC/USD", "504", "timeout", T0),
        ("api_ok", "main", "bot", None, None, None, T0),
        ("order_rejected", "main", "bot", "ETH/USD", "MIN_NOTIONAL", "order too small", T0),
        ("exception", "main", "bot", None, "RuntimeError", "feed stalled", T0),
    ]
    context = stored_events(database, "exception")[0].context
    assert context["cycle"] == 7
    assert "in test_each_method_records_its_kind_with_its_fields" in context["traceback"][-1]


def test_handler_turns_exceptions_and_tagged_records_into_events(database, bot_log):
    try:
        {}["BTC/USD"]
    except KeyError:
        bot_log.exception("cycle failed")
    bot_log.warning(
        "order refused",
        extra={"alert_kind": "order_rejected", "symbol": "BTC/USD", "code": "INSUFFICIENT_FUNDS"},
    )
    bot_log.info("exchange answered", extra={"alert_kind": "api_ok"})
    bot_log.error("an ordinary error line")  # no exception, no alert_kind: not an event
    events = stored_events(database)
    assert [(e.kind, e.code, e.symbol) for e in events] == [
        ("exception", "KeyError", None),
        ("order_rejected", "INSUFFICIENT_FUNDS", "BTC/USD"),
        ("api_ok", None, None),
    ]
    assert events[0].message == "'BTC/USD'"
    assert events[0].context["log_message"] == "cycle failed"
    assert events[0].context["logger"] == "bot.test"
    assert events[1].message == "order refused"


def test_a_bad_alert_kind_goes_to_handle_error_not_to_the_bot(database, bot_log, capsys):
    bot_log.error("odd", extra={"alert_kind": "meltdown"})  # must not raise
    assert "kind 'meltdown' is not one of" in capsys.readouterr().err
    assert stored_events(database) == []


def test_a_broken_database_never_raises_into_the_bot(tmp_path, caplog, capsys):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    writer = ErrorLog(f"sqlite:///{broken}")
    root = logging.getLogger()
    handler = ErrorLogHandler(writer)
    root.addHandler(handler)  # also sees the writer's own complaint: must not loop
    try:
        with caplog.at_level(logging.ERROR):
            assert writer.api_error("timeout") is False
            try:
                raise ValueError("boom")
            except ValueError:
                logging.getLogger("bot").exception("cycle failed")
    finally:
        root.removeHandler(handler)
        writer.close()
    complaints = [r.getMessage() for r in caplog.records if r.name == "alert_matrix.errorlog"]
    assert complaints == [
        "alert-matrix error log: api_error event not recorded: "
        "DatabaseError: file is not a database"
    ]
    assert "--- Logging error ---" in capsys.readouterr().err  # the handler's handleError


def test_many_threads_through_writer_and_handler_record_every_event(database, writer, bot_log):
    def work(worker: int) -> None:
        for index in range(20):
            if index % 2:
                assert writer.order_rejected(f"S{worker}", "CODE")
            else:
                bot_log.warning("refused", extra={"alert_kind": "order_rejected"})

    run_together(*(partial(work, n) for n in range(8)))
    assert len(stored_events(database, "order_rejected")) == 160


def _bot_process(url: str, worker: int, count: int) -> None:
    writer = ErrorLog(url)
    logger = logging.getLogger(f"bot{worker}")
    logger.addHandler(ErrorLogHandler(writer))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for index in range(count):
        if index % 2:
            assert writer.api_error("timeout", code=504)
        else:
            logger.info("refused", extra={"alert_kind": "order_rejected"})
    writer.close()


def _jsonl_bot(path: str, count: int) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        for index in range(count):
            line = {"ts": datetime.now(UTC).isoformat(), "kind": "exception", "code": str(index)}
            handle.write(json.dumps(line) + "\n")
            handle.flush()


def test_bots_in_several_processes_write_while_the_runner_runs(database, tmp_path, caplog):
    errors_file = tmp_path / "data" / "errors.jsonl"
    runtime = Runtime(settings(database, error_log_file=errors_file))
    context = multiprocessing.get_context("spawn")
    bots = [context.Process(target=_bot_process, args=(database.url, n, 60)) for n in range(3)]
    bots.append(context.Process(target=_jsonl_bot, args=(str(errors_file), 120)))
    for bot in bots:
        bot.start()
    checks = list(CHECKS.values())
    cycles = 0
    try:
        while any(bot.is_alive() for bot in bots):
            run_cycle(runtime, checks)  # ingests, evaluates, records alert state
            cycles += 1
        for bot in bots:
            bot.join(timeout=60)
        run_cycle(runtime, checks)
    finally:
        runtime.close()
    assert [bot.exitcode for bot in bots] == [0, 0, 0, 0]
    assert cycles >= 3  # the runner really ran while the bots wrote
    assert "database is locked" not in caplog.text
    assert len(stored_events(database, "api_error")) == 90
    assert len(stored_events(database, "order_rejected")) == 90
    ingested = stored_events(database, "exception")
    assert sorted(int(event.code) for event in ingested) == list(range(120))


def test_the_writer_needs_nothing_but_a_database_url(tmp_path):
    # The bot's process has no alert-matrix configuration; the schema is created on first use.
    url = f"sqlite:///{Path(tmp_path) / 'fresh' / 'errors.db'}"
    writer = ErrorLog(url, account="acct-1")
    assert writer.api_ok()
    writer.close()
