"""The error a source raises when it cannot produce its input; its text is the UNKNOWN reason."""


class SourceError(Exception):
    """An input could not be read; the message names what was wrong and where."""


class ExchangeFailure(SourceError):
    """The exchange did not answer, or answered nonsense: one cause behind several checks,
    which the "Check failing" alerts use to stay quiet while API Error Burst says it."""
