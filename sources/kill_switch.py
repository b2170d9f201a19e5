"""Reads the kill-switch file: its existence is the signal, its contents the reason."""

from __future__ import annotations

from pathlib import Path

from core.inputs import KillSwitchFile
from sources.errors import SourceError
from sources.files import mtime_utc

_MAX_READ = 4096


def read_kill_switch(path: Path) -> KillSwitchFile:
    """Existence decides; unreadable contents are reported, not fatal (the file still exists)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return KillSwitchFile(path=path, exists=False)
    except OSError as error:
        raise SourceError(f"{path}: cannot stat the kill-switch file: {error.strerror}") from None
    try:
        with path.open("rb") as handle:
            content = handle.read(_MAX_READ).decode("utf-8", errors="replace")
    except OSError as error:
        content = f"(unreadable: {error.strerror})"
    return KillSwitchFile(path=path, exists=True, content=content, modified_at=mtime_utc(stat))
