"""POSTing JSON to a receiver and classifying the answer, shared by the HTTP channels.

Errors never carry the URL: requests puts it in its exception texts, and for a Slack hook
or a routing key the URL is the secret.
"""

from __future__ import annotations

import email.utils
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from config.models import ChannelSettings
from core import clock
from core.notification import Notification
from core.version import __version__
from notify.base import Channel, DeliveryError

if TYPE_CHECKING:
    import requests

USER_AGENT = f"alert-matrix/{__version__}"
_BODY_EXCERPT = 200


class JsonPoster:
    """One keep-alive HTTP session for one receiver."""

    def __init__(self, url: str, timeout: float, mask: Callable[[str], str]) -> None:
        import requests  # paid for by the runs that send, not by every start

        self._url = url
        self._timeout = timeout
        self._mask = mask
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT

    def post(self, body: dict[str, Any], notification_id: str) -> requests.Response:
        import requests

        try:
            response = self._session.post(
                self._url,
                json=body,
                timeout=self._timeout,
                headers={"X-Alert-Matrix-Notification": notification_id},
            )
        except requests.Timeout:
            raise DeliveryError(f"no answer within {self._timeout:g}s", retryable=True) from None
        except requests.RequestException as error:
            raise DeliveryError(
                f"could not reach the receiver ({type(error).__name__})", retryable=True
            ) from None
        raise_for_answer(response, self._mask)
        return response

    def close(self) -> None:
        self._session.close()


def raise_for_answer(response: requests.Response, mask: Callable[[str], str]) -> None:
    """2xx passes; 429, 408 and 5xx are retried (honouring Retry-After); other 4xx are final.
    The answer's excerpt is shown `mask`ed: a receiver may echo the URL, token or key."""
    status = response.status_code
    if 200 <= status < 300:
        return
    # Masked before it is cut: a secret across the cut must not leave its first half.
    excerpt = mask(" ".join(response.text[: _BODY_EXCERPT * 20].split()))[:_BODY_EXCERPT]
    message = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
    if status == 429 or status == 408 or status >= 500:
        said = [parse_retry_after(response.headers.get("Retry-After")), body_retry_after(response)]
        known = [seconds for seconds in said if seconds is not None]
        raise DeliveryError(message, retryable=True, retry_after=max(known, default=None))
    raise DeliveryError(message, retryable=False)


def body_retry_after(response: requests.Response) -> float | None:
    """Seconds to wait as the JSON body says: `retry_after` (Discord, in seconds) or
    `parameters.retry_after` (Telegram's Bot API); a body that says neither says nothing."""
    try:
        document = response.json()
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    parameters = document.get("parameters")
    for value in (
        document.get("retry_after"),
        parameters.get("retry_after") if isinstance(parameters, dict) else None,
    ):
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - clock.utcnow().timestamp())


class HttpChannel(Channel):
    """A channel that POSTs one or more JSON bodies per notification to one URL: `url` of
    its settings, else the receiver's public address (`default_url`)."""

    default_url = ""

    def __init__(self, settings: ChannelSettings) -> None:
        super().__init__(settings)
        url = self.endpoint(settings)
        self.hide([url])
        self._poster = JsonPoster(url, settings.timeout_seconds, self.mask)

    def endpoint(self, settings: ChannelSettings) -> str:
        """Where to POST; a receiver whose address holds a token composes it here."""
        return settings.url.get_secret_value() if settings.url is not None else self.default_url

    @abstractmethod
    def bodies(self, notification: Notification) -> list[dict[str, Any]]:
        """The request bodies this receiver needs for one notification, in order."""

    def send(self, notification: Notification, notification_id: str) -> None:
        for body in self.bodies(notification):
            self._poster.post(body, notification_id)

    def close(self) -> None:
        self._poster.close()
