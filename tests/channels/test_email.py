"""Email against a real SMTP server (aiosmtpd) with STARTTLS and AUTH LOGIN: one message per
notification, plain text and HTML, hostile text shown as written, episodes threaded."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.notification import NotificationKind
from notify.base import DeliveryError
from notify.channels.email import EmailChannel, EmailSettings
from notify.registry import CHANNEL_TYPES
from tests.channels.sample import HOSTILE, notification
from tests.channels.smtp_server import PASSWORD, USER, SmtpServer


@pytest.fixture
def smtp(tmp_path):
    with SmtpServer(tmp_path) as server:
        yield server


def _channel(smtp, **overrides) -> EmailChannel:
    entry = {
        "name": "mail",
        "type": "email",
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "username": USER,
        "password": PASSWORD,
        "from": "alert-matrix <alerts@example.com>",
        "to": ["ops@example.com", "oncall@example.com"],
        "ca_file": str(smtp.ca_file),
        "timeout_seconds": 5,
        **overrides,
    }
    return EmailChannel(EmailSettings.model_validate(entry))


def _part(message, subtype: str) -> str:
    """One alternative's text, with SMTP's CRLF line ends read back as newlines."""
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


def test_email_is_a_channel_type():
    assert CHANNEL_TYPES["email"] is EmailChannel


def test_one_message_over_starttls_and_login_with_hostile_text_shown_as_written(smtp):
    _channel(smtp).send(HOSTILE, "n-1")
    [delivered] = smtp.mailbox.received
    assert delivered.tls and delivered.authenticated
    assert delivered.sender == "alerts@example.com"
    assert delivered.recipients == ["ops@example.com", "oncall@example.com"]
    message = delivered.message
    assert message["Subject"] == ("[alert-matrix] CRITICAL: Reconcile Mismatch (default:reconcile)")
    plain = _part(message, "plain")
    assert plain.startswith(
        "CRITICAL: Reconcile Mismatch\n\nboom in <module> & <!channel> <@U123> @everyone "
        "<script>x</script> **b** gnp.exe[2J\n2nd line yyy"
    )
    assert "latest_exception: ValueError: <!here> & <b>bold</b> @here\n" in plain
    html = _part(message, "html")
    assert (
        "<p>boom in &lt;module&gt; &amp; &lt;!channel&gt; &lt;@U123&gt; @everyone "
        "&lt;script&gt;x&lt;/script&gt; **b** gnp.exe[2J<br>\n2nd line yyy"
    ) in html
    assert "<script>" not in html and "<b>bold</b>" not in html
    for text in (plain, html):
        assert "\u202e" not in text and "\x1b" not in text and "\x00" not in text
    assert PASSWORD.encode() not in delivered.raw


def test_firing_escalation_and_resolution_thread_together(smtp):
    channel = _channel(smtp)
    channel.send(notification(), "n-firing")
    channel.send(
        notification(kind=NotificationKind.ESCALATION, escalated=True, notification_count=2),
        "n-escalation",
    )
    channel.send(notification(kind=NotificationKind.RESOLVED, notification_count=2), "n-resolved")
    channel.send(notification(first_seen=notification().last_seen), "n-next-episode")
    firing, escalation, resolved, next_episode = (d.message for d in smtp.mailbox.received)
    root = firing["Message-ID"]
    assert root.startswith("<episode.") and root.endswith("@example.com>")
    assert firing["In-Reply-To"] is None
    assert escalation["Message-ID"] == "<n-escalation@example.com>"
    assert resolved["Message-ID"] == "<n-resolved@example.com>"
    for reply in (escalation, resolved):
        assert reply["In-Reply-To"] == root and reply["References"] == root
    assert next_episode["Message-ID"] != root  # a new episode is a new thread
    assert "RESOLVED: Reconcile Mismatch" in resolved["Subject"]


def test_a_refused_login_fails_for_good_without_the_password(smtp):
    with pytest.raises(DeliveryError) as raised:
        _channel(smtp, password="wrong-Pa55").send(notification(), "n-1")
    assert not raised.value.retryable
    assert str(raised.value).startswith("SMTP 535")
    assert "wrong-Pa55" not in str(raised.value) and PASSWORD not in str(raised.value)
    assert smtp.mailbox.received == []


def test_an_unverifiable_certificate_is_refused(smtp):
    with pytest.raises(DeliveryError) as raised:
        _channel(smtp, ca_file=None).send(notification(), "n-1")
    assert "TLS failed" in str(raised.value) and not raised.value.retryable
    assert smtp.mailbox.received == []


def test_an_unreachable_server_is_retried():
    settings = {"name": "mail", "type": "email", "smtp_host": "127.0.0.1", "smtp_port": 1}
    channel = EmailChannel(
        EmailSettings.model_validate({**settings, "from": "a@example.com", "to": ["b@example.com"]})
    )
    with pytest.raises(DeliveryError) as raised:
        channel.send(notification(), "n-1")
    assert raised.value.retryable


def test_a_server_size_limit_gets_the_message_without_its_details(tmp_path):
    with SmtpServer(tmp_path, data_size_limit=6000) as small:
        big = notification(context={f"figure_{i}": "v" * 400 for i in range(30)})
        _channel(small).send(big, "n-1")
        [delivered] = small.mailbox.received
    plain = _part(delivered.message, "plain")
    assert "details: 30 more details cut to fit the mail server's limits" in plain
    assert "figure_0" not in plain


@pytest.mark.parametrize(
    "field, value",
    [("from", "a@example.com\r\nBcc: victim@example.com"), ("to", ["not an address"])],
)
def test_addresses_that_could_inject_headers_are_refused(field, value):
    entry = {"name": "m", "type": "email", "smtp_host": "h", "from": "a@example.com"}
    with pytest.raises(ValidationError):
        EmailSettings.model_validate({"to": ["b@example.com"], **entry, field: value})
