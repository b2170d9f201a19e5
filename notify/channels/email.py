"""Email over SMTP: one message per notification, plain text and HTML, threaded per episode.

A firing, its escalation, its reminders and its resolution are one thread in a mail client:
the first message of an episode (alert key + first seen) gets a Message-ID derived from the
episode, every later one points at it with In-Reply-To and References (RFC 5322 §3.6.4).
Every message's own Message-ID derives from its outbox id, so a retry is the same message.
STARTTLS (on by default) is verified against the system's CAs or `ca_file`; the password is
a secret and never reaches an error, a log line or a message.
"""

from __future__ import annotations

import hashlib
import html
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import replace
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from config.models import ChannelSettings
from core import clock
from core.notification import Notification, NotificationKind
from core.untrusted import one_line
from notify.base import Channel, DeliveryError
from notify.render import Parts, parts
from notify.text import cut_note, fit

SUBJECT_MAX = 200
# RFC 5322's hard line limit: a subject is never folded (Python folds a long one before
# its first word, which mail clients then show with a leading space).
_POLICY = SMTP.clone(max_line_length=998)
_ERROR_EXCERPT = 200


class EmailSettings(ChannelSettings):
    type: Literal["email"]
    smtp_host: str = Field(min_length=1)
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 587
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    starttls: bool = True
    ca_file: Path | None = None  # a private CA for the relay; default: the system's

    @field_validator("sender")
    @classmethod
    def _one_address(cls, value: str) -> str:
        return _address(value)

    @field_validator("to")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        return [_address(value) for value in values]

    @model_validator(mode="after")
    def _login_complete(self) -> EmailSettings:
        if (self.username is None) != (self.password is None):
            raise ValueError("username and password go together")
        return self


def _address(value: str) -> str:
    """An address on one line: a header can never be injected through the configuration."""
    if any(char in value for char in "\r\n") or "@" not in parseaddr(value)[1]:
        raise ValueError(f"not an email address: {value!r}")
    return value


class EmailChannel(Channel):
    settings_model = EmailSettings

    def __init__(self, settings: EmailSettings) -> None:
        super().__init__(settings)
        self._settings = settings

    def send(self, notification: Notification, notification_id: str) -> None:
        settings = self._settings
        message = email_message(notification, notification_id, settings)
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=self.timeout) as smtp:
                _hello(smtp, settings)
                limit = int(smtp.esmtp_features.get("size") or 0)
                if limit and len(message.as_bytes()) > limit:
                    message = email_message(notification, notification_id, settings, brief=True)
                smtp.send_message(message)
        except smtplib.SMTPException as error:
            raise _delivery_error(error, self.mask) from None
        except ssl.SSLError as error:
            reason = error.reason or type(error).__name__
            raise DeliveryError(f"TLS failed: {reason}", retryable=False) from None
        except OSError as error:  # refused, unreachable, timed out
            raise DeliveryError(
                f"could not reach {settings.smtp_host}:{settings.smtp_port} "
                f"({type(error).__name__})",
                retryable=True,
            ) from None


def _hello(smtp: smtplib.SMTP, settings: EmailSettings) -> None:
    smtp.ehlo()
    if settings.starttls:
        cafile = str(settings.ca_file) if settings.ca_file else None
        smtp.starttls(context=ssl.create_default_context(cafile=cafile))
        smtp.ehlo()
    if settings.username is not None and settings.password is not None:
        smtp.login(settings.username, settings.password.get_secret_value())


def _delivery_error(error: smtplib.SMTPException, mask: Callable[[str], str]) -> DeliveryError:
    """4xx answers are retried, 5xx are final; the server's words, never the password."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        said = f"every recipient refused ({', '.join(map(str, codes))})"
        return DeliveryError(said, retryable=all(400 <= code < 500 for code in codes))
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return DeliveryError(f"the server does not support it: {error}", retryable=False)
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        said = f"SMTP {error.smtp_code}: {mask(one_line(words))[:_ERROR_EXCERPT]}"
        return DeliveryError(said, retryable=400 <= error.smtp_code < 500)
    return DeliveryError(f"SMTP: {type(error).__name__}", retryable=True)  # e.g. disconnected


def email_message(
    notification: Notification, notification_id: str, settings: EmailSettings, brief: bool = False
) -> EmailMessage:
    """One message: plain text and HTML alternatives, threaded by the alert's episode.
    `brief` leaves the details out (for a server whose SIZE limit the full one exceeds)."""
    shown = parts(notification)
    if brief and shown.details:
        note = [("details", cut_note(len(shown.details), "the mail server"))]
        shown = replace(shown, details=note)
    domain = parseaddr(settings.sender)[1].rsplit("@", 1)[-1]
    message = EmailMessage(policy=_POLICY)
    subject = f"[alert-matrix] {shown.headline} ({notification.key})"
    message["Subject"] = fit(one_line(subject), SUBJECT_MAX)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Date"] = format_datetime(clock.utcnow())
    episode = f"<episode.{_episode_hash(notification)}@{domain}>"
    first = notification.kind is NotificationKind.FIRING and notification.notification_count <= 1
    if first:
        message["Message-ID"] = episode
    else:
        message["Message-ID"] = f"<{notification_id}@{domain}>"
        if notification.kind is not NotificationKind.TEST:
            message["In-Reply-To"] = episode
            message["References"] = episode
    message["X-Alert-Matrix-Notification"] = notification_id
    message.set_content(_plain(shown, notification.key))
    message.add_alternative(_html(shown, notification.key), subtype="html")
    return message


def _episode_hash(notification: Notification) -> str:
    first_seen = notification.first_seen.isoformat() if notification.first_seen else ""
    return hashlib.sha256(f"{notification.key}|{first_seen}".encode()).hexdigest()[:32]


def _plain(shown: Parts, key: str) -> str:
    lines = [shown.headline, "", shown.message, ""]
    lines += [f"{name}: {value}" for name, value in shown.details]
    if shown.action:
        lines.append(f"action: {shown.action}")
    if shown.runbook:
        lines += ["", f"Runbook: {shown.runbook}"]
    lines += ["", f"key {key} · first seen {shown.first_seen}"]
    return "\n".join(lines) + "\n"


def _html(shown: Parts, key: str) -> str:
    def text(value: str) -> str:
        return html.escape(value).replace("\n", "<br>\n")

    rows = "".join(
        f"<tr><th align=left>{text(name)}</th><td>{text(value)}</td></tr>\n"
        for name, value in shown.details
    )
    action = f"<p><b>Action</b>: {text(shown.action)}</p>\n" if shown.action else ""
    runbook = f"<p><b>Runbook</b>: {text(shown.runbook)}</p>\n" if shown.runbook else ""
    return (
        f"<html><body>\n<h3>{text(shown.headline)}</h3>\n<p>{text(shown.message)}</p>\n"
        f"<table>\n{rows}</table>\n{action}{runbook}"
        f"<p><small>key {text(key)} · first seen {text(shown.first_seen)}</small></p>\n"
        "</body></html>\n"
    )
