"""The one error type for a bad configuration: it always names the file and the key."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A configuration problem, rendered as one line: ``file[:line]: key.path: problem``."""

    def __init__(self, file: Path | str, key: str, problem: str, line: int | None = None) -> None:
        self.file = str(file)
        self.key = _printable(key)
        self.problem = _printable(" ".join(problem.splitlines()))  # one line, whatever the cause
        self.line = line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        return f"configuration error: {where}:{key} {self.problem}"


def _printable(text: str) -> str:
    """Control characters (a key may hold a newline) shown escaped, so the error stays one line."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
