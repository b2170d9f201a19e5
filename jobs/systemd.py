"""systemd's notify protocol (sd_notify): READY=1 at start, WATCHDOG=1 pings, STOPPING=1.

Ten lines over a datagram socket need no library; without `$NOTIFY_SOCKET` (not under
systemd) every call does nothing.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)


def notify(message: str) -> bool:
    """Send one notification; True if systemd is listening."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError as error:
        log.warning("sd_notify %r failed: %s", message, error)
        return False
    return True


def watchdog_interval() -> float | None:
    """Half of WatchdogSec (from `$WATCHDOG_USEC`), as systemd recommends; None if off."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return max(int(usec) / 1_000_000 / 2, 0.5)
    except ValueError:
        return None
