"""Files are watched, not only polled: a change runs the checks that read that file at once."""

from __future__ import annotations

import threading
import time

import pytest

from emulator.receiver import WebhookReceiver
from jobs.daemon import Daemon
from jobs.file_watch import FileWatch
from jobs.settings import load_settings
from tests.conftest import free_port, wait_healthy


def test_a_change_runs_the_jobs_of_that_file_once_each(tmp_path):
    switch, state = tmp_path / "KILL_SWITCH", tmp_path / "state.json"
    ran: list[str] = []
    seen = threading.Event()

    def run(name: str) -> None:
        ran.append(name)
        seen.set()

    watch = FileWatch({switch: ("kill_switch",), state: ("heartbeat",)}, run)
    assert sorted(watch.start()) == sorted([switch, state])
    try:
        switch.write_text("halt")
        assert seen.wait(5)
        time.sleep(0.3)
        assert set(ran) == {"kill_switch"}
        (tmp_path / "unrelated.txt").write_text("x")
        seen.clear()
        state.write_text("{}")
        assert seen.wait(5)
    finally:
        watch.stop()
    assert "heartbeat" in ran


def test_a_missing_folder_is_left_to_polling(tmp_path):
    watch = FileWatch({tmp_path / "nowhere" / "KILL_SWITCH": ("kill_switch",)}, lambda _: None)
    assert watch.start() == []
    watch.stop()


def test_only_checks_reading_nothing_but_the_file_are_woken(workspace):
    daemon = Daemon(load_settings(workspace.config, environ={}))
    targets = {path.name: names for path, names in daemon.watched_files().items()}
    assert targets["KILL_SWITCH"] == ("default:kill_switch",)
    assert targets["state.json"] == ("default:heartbeat",)  # reconcile also reads the exchange
    assert set(targets["errors.jsonl"]) == {
        "default:api_errors",
        "default:rejections",
        "default:exceptions",
    }


@pytest.mark.slow
def test_the_daemon_fires_on_the_file_change_not_at_the_next_interval(workspace):
    port = free_port()
    with WebhookReceiver() as receiver:
        hook = receiver.url("/hook")
        workspace.write_app(
            f"""
            database_url: sqlite:///{workspace.database}
            paths: {{kill_switch_file: {workspace.kill_switch}, state_file: {workspace.state_file}}}
            schedule: {{default: 300, delivery: 300}}
            server: {{host: 127.0.0.1, port: {port}}}
            channels:
              - {{name: hooks, type: webhook, url: "{hook}", min_severity: CRITICAL}}
            """
        )
        workspace.write_state({"positions": {}})
        daemon = workspace.spawn("run")
        try:
            wait_healthy(port)
            time.sleep(1)  # past every job's first run at start
            created = time.monotonic()
            workspace.kill_switch.write_text("halt: drill")
            assert receiver.wait_for(1, timeout=5, path="/hook"), workspace.daemon_log
            assert time.monotonic() - created < 3  # not the 300 s interval
            [firing] = receiver.bodies("/hook")
            assert firing["alert"] == "kill_switch" and firing["status"] == "firing"
        finally:
            assert workspace.stop(daemon) == 0, workspace.daemon_log
        assert "watching" in workspace.daemon_log


def test_a_system_out_of_inotify_instances_leaves_the_files_to_polling(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr("watchdog.observers.Observer.schedule", refuse)
    watch = FileWatch({tmp_path / "KILL_SWITCH": ("default:kill_switch",)}, lambda _: None)
    assert watch.start() == []  # no exception: the intervals go on alone
    watch.stop()


def test_at_most_a_bounded_number_of_folders_is_watched(tmp_path):
    from jobs.file_watch import MAX_FOLDERS

    targets = {}
    for index in range(MAX_FOLDERS + 4):
        folder = tmp_path / f"bot-{index:02d}"
        folder.mkdir()
        targets[folder / "KILL_SWITCH"] = (f"bot-{index:02d}:kill_switch",)
    watch = FileWatch(targets, lambda _: None)
    try:
        assert len(watch.start()) == MAX_FOLDERS
    finally:
        watch.stop()


def test_a_run_waits_for_the_write_to_finish(tmp_path):
    """Creating a file and writing it are two events: the check must read what was written,
    not the empty file between them (a kill switch without its reason)."""
    switch = tmp_path / "KILL_SWITCH"
    seen: list[str] = []
    done = threading.Event()

    def run(_name: str) -> None:
        seen.append(switch.read_text())
        done.set()

    watch = FileWatch({switch: ("default:kill_switch",)}, run)
    watch.start()
    try:
        with switch.open("w") as written:
            written.flush()
            time.sleep(0.005)
            written.write("risk desk: halt all trading")
        assert done.wait(5)
    finally:
        watch.stop()
    assert seen[0] == "risk desk: halt all trading"
