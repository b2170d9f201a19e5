"""Following the bot's JSON-lines file through appends, rotation and truncation (no database).

A file is known by its `file_id` (`device:inode`) and its `fingerprint` (a hash of the start of
its first line). Together they tell the file being read from a new file that took its name,
and from the same inode truncated and written again (copytruncate). Reads are bounded chunks
of complete lines: a 1 GB file is never held in memory, and a last line without its newline
is left for later.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_BYTES = 1 << 20  # also the longest line accepted
_FINGERPRINT_BYTES = 4096


@dataclass(frozen=True)
class Mark:
    """Where reading stands: which file, and the offset after the last line consumed."""

    file_id: str | None
    fingerprint: str | None
    offset: int


@dataclass(frozen=True)
class Chunk:
    """Complete lines (without their newline) read from `start` up to `end`; `full` when the
    read filled its buffer, so more may follow at once. `too_long` is the size of one line
    longer than a chunk, skipped whole (the chunk then holds no other line)."""

    lines: list[bytes]
    end: int
    full: bool
    too_long: int = 0


def file_id(stat: os.stat_result) -> str:
    return f"{stat.st_dev}:{stat.st_ino}"


def fingerprint(handle: BinaryIO) -> str:
    """A hash of the file's first line (at most its first 4 KiB); stable once that line is
    complete, since the bot only appends."""
    handle.seek(0)
    head = handle.read(_FINGERPRINT_BYTES)
    newline = head.find(b"\n")
    return hashlib.blake2b(head if newline < 0 else head[: newline + 1], digest_size=16).hexdigest()


def read_chunk(handle: BinaryIO, start: int, size: int = CHUNK_BYTES) -> Chunk:
    """The complete lines from `start` within about `size` bytes."""
    handle.seek(start)
    data = handle.read(size)
    cut = data.rfind(b"\n")
    if cut >= 0:
        return Chunk(data[:cut].split(b"\n"), start + cut + 1, full=len(data) == size)
    if len(data) < size:
        return Chunk([], start, full=False)  # a last line still being written
    scanned = start + len(data)
    while data := handle.read(size):  # one line longer than a chunk: find where it ends
        newline = data.find(b"\n")
        if newline >= 0:
            end = scanned + newline + 1
            return Chunk([], end, full=True, too_long=end - start)
        scanned += len(data)
    return Chunk([], start, full=False)


def locate(path: Path, mark: Mark) -> Path | None:
    """Where the file being read is now: still at `path`, renamed beside it (same inode and
    first line), or copied beside it by copytruncate (same first line, another inode).
    None if it is nowhere (deleted, or truncated with no copy left)."""
    if mark.file_id is None:
        return None
    copy = None
    for candidate in _candidates(path):
        try:
            stat = candidate.stat()
            if stat.st_size < mark.offset:
                continue
            if mark.fingerprint is not None:
                with candidate.open("rb") as handle:
                    if fingerprint(handle) != mark.fingerprint:
                        continue
        except OSError:
            continue
        if file_id(stat) == mark.file_id:
            return candidate
        if copy is None and mark.fingerprint is not None:
            copy = candidate
    return copy


def _candidates(path: Path) -> Iterator[Path]:
    """`path`, then its siblings: the directory is listed only when `path` is not the file
    (a rotation), not on every chunk read."""
    yield path
    yield from siblings(path)


def siblings(path: Path) -> list[Path]:
    """Rotated files beside `path`: `NAME.1` first (logrotate's default), then the other
    `NAME.*` and `NAME-*` (dateext), newest first."""
    first = path.with_name(f"{path.name}.1")
    try:
        found = [
            entry
            for entry in path.parent.iterdir()
            if entry.name.startswith((f"{path.name}.", f"{path.name}-"))
        ]
    except OSError:
        return []
    return sorted(found, key=lambda entry: (entry != first, -_mtime(entry)))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
