"""The bot's error log (README: "The bot's error log"): how the bot writes it, how its
JSON-lines file is ingested, and how old events are pruned.

The bot imports the writer and the logging handler from here:

    from errorlog import ErrorLog, ErrorLogHandler
"""

from errorlog.handler import ErrorLogHandler
from errorlog.writer import ErrorLog

__all__ = ["ErrorLog", "ErrorLogHandler"]
