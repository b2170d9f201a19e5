"""What the page's security measures prove: escaping, credential, CSRF, headers, binding."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from config.redact import WEB_TOKEN_ENV, secret_values
from store.models import Alert, AlertEvent
from tests.web.conftest import HOSTILE, TOKEN, basic, client
from web.auth import Credential, exposure_problem, is_loopback


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def test_markup_from_the_bot_renders_as_text(firing, database):
    """A kill-switch file holding <script> is shown escaped, on the board and its page."""
    page = client(firing, database)
    for path in ("/", "/alert/default:kill_switch", "/?part=body"):
        html = page.get(path, headers=basic("alice")).text
        assert "&lt;script&gt;document.title=" in html, path
        assert HOSTILE not in html and "<b>ops</b>" not in html


def test_an_exception_message_with_markup_renders_as_text(page_settings, database):
    from datetime import UTC, datetime

    from tests.helpers import add_event
    from tests.web.conftest import run_checks

    for _ in range(2):
        add_event(
            database,
            "exception",
            datetime.now(UTC),
            code="E",
            message="<img src=x onerror=alert(1)>",
        )
    run_checks(page_settings, "exceptions")
    html = client(page_settings, database).get("/alert/default:exceptions", headers=basic("a")).text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html


def test_every_response_carries_the_security_headers(firing, database):
    page = client(firing, database)
    for response in (
        page.get("/"),  # 401
        page.get("/", headers=basic("alice")),
        page.get("/nowhere", headers=basic("alice")),
        page.get("/static/page.js", headers=basic("alice")),
        page.get("/equity.json", headers=basic("alice")),
    ):
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_or_style_in_the_page(firing, database):
    html = client(firing, database).get("/", headers=basic("alice")).text
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/page.js" defer>']
    assert " style=" not in html and "<style" not in html and " on" + "click=" not in html


def test_reading_needs_the_credential_when_one_is_set(firing, database):
    page = client(firing, database)
    assert page.get("/").status_code == 401
    assert page.get("/", headers=basic("alice", "wrong")).status_code == 401
    assert "Basic" in page.get("/").headers["WWW-Authenticate"]
    assert page.get("/equity.json").status_code == 401
    assert page.get("/", headers=basic("alice")).status_code == 200


def test_without_a_credential_the_page_reads_but_refuses_to_act(firing, database):
    page = client(firing, database, token=None)
    board = page.get("/")
    assert board.status_code == 200 and "read-only" in board.text
    assert 'name="csrf"' not in board.text  # no action forms at all
    refused = page.post("/act/ack/default:kill_switch", data={"csrf": "x"})
    assert refused.status_code == 403 and WEB_TOKEN_ENV in refused.text
    with database.read() as session:
        assert session.get(Alert, "default:kill_switch").acknowledged_at is None


def test_a_post_without_the_csrf_token_or_from_another_origin_is_refused(firing, database):
    page = client(firing, database)
    token = _csrf(page.get("/", headers=basic("alice")).text)
    url = "/act/ack/default:kill_switch"
    assert page.post(url, headers=basic("alice"), data={}).status_code == 403
    assert page.post(url, headers=basic("alice"), data={"csrf": "0" * 64}).status_code == 403
    # bound to the operator: Mallory cannot replay Alice's token
    assert page.post(url, headers=basic("mallory"), data={"csrf": token}).status_code == 403
    foreign = {**basic("alice"), "Origin": "http://evil.example"}
    assert page.post(url, headers=foreign, data={"csrf": token}).status_code == 403
    assert page.get(url, headers=basic("alice")).status_code == 405  # no GET side effects
    with database.read() as session:
        assert session.get(Alert, "default:kill_switch").acknowledged_at is None
        assert session.scalars(select(AlertEvent.event)).all() == ["firing"]


def test_an_operator_without_a_name_cannot_act(firing, database):
    page = client(firing, database)
    answer = page.post("/act/ack/default:kill_switch", headers=basic(""), data={"csrf": "x"})
    assert answer.status_code == 403 and "name" in answer.text


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("example.org", False),
    ],
)
def test_which_hosts_are_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_binding_beyond_loopback_needs_a_credential():
    assert exposure_problem("0.0.0.0", Credential(None)).startswith(
        "the status page would listen on 0.0.0.0 without a credential"
    )
    assert exposure_problem("0.0.0.0", Credential(TOKEN)) is None
    assert exposure_problem("127.0.0.1", Credential(None)) is None


@pytest.mark.parametrize("command", [("web", "--host", "0.0.0.0"), ("run",)])
def test_commands_refuse_to_expose_the_page_without_a_credential(workspace, command):
    workspace.write_app("server: {host: 0.0.0.0, port: 0}\nskip_checks: [reconcile]\n")
    done = workspace.run(*command, env={WEB_TOKEN_ENV: ""})
    assert done.returncode == 3
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "without a credential: set ALERT_MATRIX_WEB_TOKEN" in done.stderr


def test_the_token_is_a_secret_scrubbed_from_logs(page_settings, monkeypatch):
    monkeypatch.setenv(WEB_TOKEN_ENV, TOKEN)
    assert TOKEN in secret_values(page_settings)


def test_the_web_command_serves_the_page_and_stops_on_sigterm(workspace):
    import requests

    from tests.conftest import free_port

    port = free_port()
    workspace.write_app(f"database_url: sqlite:///{workspace.database}\n")
    process = workspace.spawn("web", "--port", str(port), env={WEB_TOKEN_ENV: TOKEN})
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/", auth=("bob", TOKEN), timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):  # still starting, or busy
                assert time.monotonic() < deadline, workspace.daemon_log
                time.sleep(0.2)
        assert answer.status_code == 200 and "signed in as bob" in answer.text
        assert "(check runs)" in answer.text  # no daemon: health from the recorded runs
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 401
    finally:
        assert workspace.stop(process) == 0, workspace.daemon_log
    assert TOKEN not in workspace.daemon_log
