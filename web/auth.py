"""Who may read and act on the status page.

The credential is a token in the environment (never in app.yaml), used as the password of
HTTP basic auth; the user name is the operator's name written to the history. Basic auth
keeps the page stateless (no sessions to store or expire) and works from curl. Without a
token the page is read-only and may only listen on loopback.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

from config.redact import WEB_TOKEN_ENV

REALM = "alert-matrix"
MAX_NAME = 100  # the width of acknowledged_by / created_by


@dataclass(frozen=True)
class Credential:
    """The token operators sign in with; `None` when the page is read-only."""

    token: str | None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Credential:
        environ = os.environ if environ is None else environ
        return cls(environ.get(WEB_TOKEN_ENV) or None)

    @property
    def configured(self) -> bool:
        return self.token is not None

    def user(self, authorization: str | None) -> str | None:
        """The operator named by a valid `Authorization: Basic` header, else None."""
        if self.token is None or not authorization:
            return None
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            name, _, password = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if not hmac.compare_digest(password.encode(), self.token.encode()):
            return None
        return name.strip()[:MAX_NAME]

    def csrf_token(self, user: str) -> str:
        """Bound to the operator and keyed by the credential: stable across restarts, and
        unguessable by a page that cannot read ours."""
        key = hashlib.sha256(f"csrf:{self.token}".encode()).digest()
        return hmac.new(key, user.encode(), hashlib.sha256).hexdigest()

    def csrf_valid(self, user: str, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(self.csrf_token(user), given)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and `localhost`; `0.0.0.0` and every name are not."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_problem(host: str, credential: Credential) -> str | None:
    """Why the page must not listen on `host`, or None when it may."""
    if credential.configured or is_loopback(host):
        return None
    return (
        f"the status page would listen on {host} without a credential: set {WEB_TOKEN_ENV} "
        "(or bind server.host to 127.0.0.1, or set server.page: false)"
    )
