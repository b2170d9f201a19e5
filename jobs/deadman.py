"""The dead-man's switch: ping `monitoring.deadman_url` after each healthy cycle, so an
outside service (healthchecks.io style) alerts when alert-matrix itself goes quiet."""

from __future__ import annotations

import logging

import requests

from notify.http import USER_AGENT

log = logging.getLogger(__name__)
_TIMEOUT_SECONDS = 5.0


def ping(url: str) -> bool:
    """GET the URL; a failure is logged (without the URL: it is a secret), never raised."""
    try:
        response = requests.get(url, timeout=_TIMEOUT_SECONDS, headers={"User-Agent": USER_AGENT})
    except requests.RequestException as error:
        log.warning("dead-man ping failed: %s", type(error).__name__)
        return False
    if response.status_code >= 400:
        log.warning("dead-man ping answered HTTP %d", response.status_code)
        return False
    return True
