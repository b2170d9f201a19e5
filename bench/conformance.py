"""The conformance table of the README: each replayed exchange (recorded answers served to the
real ccxt client, `emulator/replay.py`) run through the real exchange path and judged against
what the recorded account holds.

    .venv/bin/python bench/conformance.py
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator.replay import ReplayExchange
from tests.replay.conformance import table
from tests.replay.profiles import RECORDINGS


def main() -> None:
    logging.disable(logging.WARNING)
    with ReplayExchange(RECORDINGS) as replay:
        print(table(replay))


if __name__ == "__main__":
    main()
