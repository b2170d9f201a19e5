"""Watching the bot's files (inotify, through watchdog): a change to the kill-switch file,
the state file or the JSON-lines error log runs the checks that read only that file at once,
instead of at their next interval.

The intervals stay: they are the safety net, and the only path where a file system gives no
change events (a folder that does not exist yet is left to them too). Each watched folder
costs an inotify instance, of which Linux allows a user 128 by default
(fs.inotify.max_user_instances) for every program it runs: at most `MAX_FOLDERS` folders are
watched, and a folder the system refuses to watch is left to the intervals, with a warning.
Runs are made by one worker thread, so a bot writing its state ten times a second costs a
few runs, not a queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

log = logging.getLogger(__name__)

MAX_FOLDERS = 16  # inotify instances one runner may use (the rest: polling)
SETTLE_SECONDS = 0.02  # a change is run once the file has been quiet this long...
MAX_SETTLE_SECONDS = 0.2  # ...or this long after its first event, whichever comes first


class FileWatch:
    def __init__(self, targets: Mapping[Path, tuple[str, ...]], run: Callable[[str], None]) -> None:
        """`targets`: each watched file and the jobs a change to it runs (by `run(name)`)."""
        self._targets = {path.absolute(): names for path, names in targets.items() if names}
        self._run = run
        self._pending: dict[str, None] = {}  # ordered, each job once
        self._last_event = 0.0  # monotonic time of the latest change seen
        self._changed = threading.Condition()
        self._stopping = False
        self._observer = Observer()
        self._worker = threading.Thread(target=self._work, name="file-watch", daemon=True)

    def start(self) -> list[Path]:
        """Watch what can be watched; returns the files watched."""
        self._observer.start()
        self._worker.start()
        watched: list[Path] = []
        folders = sorted({path.parent for path in self._targets})
        for count, folder in enumerate(folders):
            if count == MAX_FOLDERS:
                log.warning(
                    "watching %d folders; the other %d are polled", count, len(folders) - count
                )
                break
            if not folder.is_dir():
                log.warning("not watching %s: the folder does not exist (polling only)", folder)
                continue
            try:
                self._observer.schedule(_Handler(self._changed_path), str(folder), recursive=False)
            except OSError as error:  # e.g. no inotify instance left on this system
                log.warning("not watching %s: %s (polling only)", folder, error)
                continue
            watched += [path for path in self._targets if path.parent == folder]
        return watched

    def stop(self) -> None:
        """No new runs; the one under way finishes."""
        self._observer.stop()
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._observer.join()
        if self._worker.is_alive():
            self._worker.join()

    def _changed_path(self, path: Path) -> None:
        names = self._targets.get(path)
        if not names:
            return
        with self._changed:
            self._pending.update(dict.fromkeys(names))
            self._last_event = time.monotonic()
            self._changed.notify_all()

    def _work(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._stopping)
                self._settle()
                if self._stopping:
                    return
                name = next(iter(self._pending))
                del self._pending[name]
            self._run(name)

    def _settle(self) -> None:
        """Let a write finish: creating a file and writing it are two events, and a check run
        between them would read it empty (a kill switch without its reason)."""
        started = time.monotonic()
        while not self._stopping:
            quiet = time.monotonic() - self._last_event
            waited = time.monotonic() - started
            if quiet >= SETTLE_SECONDS or waited >= MAX_SETTLE_SECONDS:
                return
            self._changed.wait(SETTLE_SECONDS - quiet)


class _Handler(FileSystemEventHandler):
    def __init__(self, changed: Callable[[Path], None]) -> None:
        self._changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory:
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self._changed(Path(_text(raw)).absolute())


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path
