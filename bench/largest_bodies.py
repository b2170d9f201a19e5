"""The largest body each channel can send, over adversarial notifications (every bounded
field at its limit, in the characters that grow most under each receiver's escaping).

    .venv/bin/python bench/largest_bodies.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.channels.adversarial import adversarial, bodies


def main() -> None:
    largest: dict[str, int] = {}
    for made in adversarial():
        for channel, body in bodies(made).items():
            largest[channel] = max(largest.get(channel, 0), len(body))
    for channel, size in largest.items():
        print(f"{channel:10} {size:>9,} bytes")


if __name__ == "__main__":
    main()
