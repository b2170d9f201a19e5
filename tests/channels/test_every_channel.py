"""Every channel type configured at once, through the real command line: `test-alerts
--production-scenarios` reaches each of them, and no token, webhook URL or password reaches
the output, the logs or the database, even when the receivers echo them back."""

from __future__ import annotations

import pytest

from checks.registry import CHECKS
from emulator.receiver import Reply, WebhookReceiver
from tests.channels.smtp_server import PASSWORD, USER, SmtpServer

TOKEN = "987654:TGsecretTOKENvalue"
DISCORD = "/api/webhooks/42/DiScOrDsecretTOKEN"
SLACK = "/services/T0/B0/SlAcKsecretTOKEN"
ROUTING_KEY = "PdRoutingKEYsecret"
SECRETS = (TOKEN, "DiScOrDsecretTOKEN", "SlAcKsecretTOKEN", ROUTING_KEY, PASSWORD)


@pytest.fixture
def smtp(tmp_path):
    with SmtpServer(tmp_path) as server:
        yield server


def _configure(workspace, receiver, smtp) -> dict[str, str]:
    """app.yaml with one channel of every type; the secrets come from the environment."""
    workspace.write_app(
        f"""
        database_url: sqlite:///{workspace.database}
        paths: {{state_file: {workspace.state_file}, kill_switch_file: {workspace.kill_switch}}}
        delivery: {{budget_seconds: 10}}
        channels:
          - {{name: hooks, type: webhook, url: "{receiver.url("/hook")}"}}
          - {{name: slack, type: slack, url: "${{SLACK_URL}}"}}
          - {{name: pager, type: pagerduty, url: "{receiver.url("/pd")}",
              routing_key: "${{PD_KEY}}", escalation: true}}
          - {{name: tg, type: telegram, url: "{receiver.url("")}", bot_token: "${{TG_TOKEN}}",
              chat_id: "-1001"}}
          - {{name: dc, type: discord, url: "${{DISCORD_URL}}"}}
          - {{name: mail, type: email, smtp_host: 127.0.0.1, smtp_port: {smtp.port},
              username: {USER}, password: "${{SMTP_PASSWORD}}", from: alerts@example.com,
              to: [ops@example.com], ca_file: "{smtp.ca_file}", timeout_seconds: 5}}
        """
    )
    return {
        "SLACK_URL": receiver.url(SLACK),
        "PD_KEY": ROUTING_KEY,
        "TG_TOKEN": TOKEN,
        "DISCORD_URL": receiver.url(DISCORD),
        "SMTP_PASSWORD": PASSWORD,
    }


def test_production_scenarios_reach_every_channel_type(workspace, receiver, smtp):
    env = _configure(workspace, receiver, smtp)
    result = workspace.run("test-alerts", "--production-scenarios", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(CHECKS)
    for channel in ("console", "hooks", "slack", "pager", "tg", "dc", "mail"):
        assert f"{count}/{count}" in next(
            line for line in result.stdout.splitlines() if line.startswith(channel)
        )
    assert len(receiver.bodies(f"/bot{TOKEN}/sendMessage")) == count
    assert len(receiver.bodies(DISCORD, answered=None)) == count
    assert len(receiver.bodies(SLACK)) == count
    assert len(receiver.bodies("/pd")) == 2 * count  # each test incident resolves itself
    assert len(smtp.mailbox.received) == count
    subjects = {d.message["Subject"] for d in smtp.mailbox.received}
    assert "[alert-matrix] [TEST] CRITICAL: Kill Switch Activated (default:kill_switch)" in subjects


def test_no_secret_of_any_channel_is_shown_or_stored(workspace, receiver, smtp):
    """Each receiver refuses with a body that echoes what it was sent: its URL, its token."""
    env = _configure(workspace, receiver, smtp)
    with WebhookReceiver() as slack, WebhookReceiver() as discord:
        env["SLACK_URL"], env["DISCORD_URL"] = slack.url(SLACK), discord.url(DISCORD)
        slack.default = Reply(400, body=f"invalid_token at {slack.url(SLACK)}")
        discord.default = Reply(401, body=f'{{"message": "Invalid Webhook Token {DISCORD}"}}')
        receiver.default = Reply(400, body=f"refused {TOKEN} {ROUTING_KEY}")
        outputs = [workspace.run("test-alerts", env=env)]
        workspace.kill_switch.write_text("halt")
        outputs.append(workspace.run("check", "kill_switch", env=env))
        outputs += [workspace.run(*command, env=env) for command in (["status"], ["history"])]
        outputs.append(workspace.run("config", "check", env=env))
        assert slack.requests and discord.requests
    assert outputs[0].returncode == 1
    assert "HTTP 400: invalid_token at ***" in outputs[0].stdout
    for output in outputs:
        for secret in SECRETS:
            assert secret not in output.stdout + output.stderr, (secret, output.args)
    for file in workspace.data.iterdir():
        for secret in SECRETS:
            assert secret.encode() not in file.read_bytes(), (secret, file.name)
    for delivered in smtp.mailbox.received:
        assert not any(secret.encode() in delivered.raw for secret in SECRETS)
