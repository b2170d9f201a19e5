"""The error a source raises when it cannot produce its input; its text is the UNKNOWN reason."""


class SourceError(Exception):
    """An input could not be read; the message names what was wrong and where."""
