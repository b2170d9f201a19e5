"""Configuration: defaults, older key spellings, ${ENV}, errors naming file, line and key."""

from __future__ import annotations

import pytest

from config import ConfigError
from config.redact import secret_values, shown_settings
from jobs.settings import load_settings


def test_empty_policy_gives_every_default_of_the_matrix(workspace):
    settings = load_settings(workspace.config, environ={})
    policy = settings.policy
    assert policy.document.risk.daily_stop_loss_pct == 3.0
    assert policy.document.risk.weekly_stop_loss_pct == 7.0
    assert policy.document.risk.max_drawdown_pct == 10.0
    assert policy.document.monitoring.api_error_threshold == 2
    assert policy.document.monitoring.api_error_lookback_seconds == 300
    assert policy.document.monitoring.reconcile_mismatch_threshold_pct == 5.0
    assert policy.document.monitoring.reconcile_mismatch_threshold_usd == 10.0
    assert policy.document.monitoring.reconcile_dust_usd == 1.0
    assert policy.document.execution.max_order_rejections == 3
    assert policy.document.execution.rejection_window_seconds == 600
    assert policy.document.monitoring.max_exceptions_per_window == 2
    assert policy.document.monitoring.exception_window_seconds == 300
    assert policy.document.universe.min_eligible_assets == 2
    assert policy.document.monitoring.heartbeat_max_age_seconds == 300


def test_the_plans_keys_are_accepted_as_written(workspace):
    workspace.write_policy(
        """
        risk:
          min_eligible_assets: 4
        execution:
          max_order_rejections: 5
          rejection_window_seconds: 900
        monitoring:
          max_exceptions_per_window: 3
          exception_window_seconds: 120
          reconcile_mismatch_threshold_pct: 2.5
          reconcile_mismatch_threshold_usd: 25.0
        """
    )
    workspace.write_app(
        """
        monitoring:
          alert_service:
            enabled: true
            webhook_url: ${ALERT_WEBHOOK_URL}
            min_severity: WARNING
            dedupe_seconds: 60
            escalation_seconds: 120
            disabled_alerts: ["Order Rejection Burst"]
        """
    )
    settings = load_settings(
        workspace.config, environ={"ALERT_WEBHOOK_URL": "https://hooks.example/T0/abc"}
    )
    assert settings.policy.document.universe.min_eligible_assets == 4
    assert settings.policy.document.execution.max_order_rejections == 5
    assert settings.policy.document.monitoring.reconcile_mismatch_threshold_usd == 25.0
    service = settings.app.monitoring.alert_service
    assert service.webhook_url.get_secret_value() == "https://hooks.example/T0/abc"
    assert service.disabled_alerts == ["Order Rejection Burst"]


def _error(workspace, environ=None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(workspace.config, environ=environ or {})
    return caught.value


def test_unknown_key_names_file_line_key_and_the_likely_intent(workspace):
    workspace.write_policy("risk:\n  daily_stop_los_pct: 2.0\n")
    error = _error(workspace)
    line = error.one_line()
    assert "policy.yaml:2" in line
    assert "risk.daily_stop_los_pct" in line
    assert "unknown key" in line
    assert "did you mean 'daily_stop_loss_pct'" in line


def test_negative_percentage_is_out_of_range(workspace):
    workspace.write_policy("risk:\n  daily_stop_loss_pct: -3\n")
    line = _error(workspace).one_line()
    assert "policy.yaml:2: risk.daily_stop_loss_pct:" in line
    assert "greater than 0" in line
    assert "-3" in line


def test_zero_window_is_out_of_range(workspace):
    workspace.write_policy("execution:\n  rejection_window_seconds: 0\n")
    line = _error(workspace).one_line()
    assert "execution.rejection_window_seconds" in line and "greater than 0" in line


def test_error_log_retention_default_and_range(workspace):
    assert load_settings(workspace.config, environ={}).app.error_log.retention_days == 30
    workspace.write_app("error_log:\n  retention_days: 7\n")
    assert load_settings(workspace.config, environ={}).app.error_log.retention_days == 7
    workspace.write_app("error_log:\n  retention_days: 0\n")
    line = _error(workspace).one_line()
    assert "app.yaml:2: error_log.retention_days:" in line and "greater than 0" in line


def test_wrong_type_is_named(workspace):
    workspace.write_policy("monitoring:\n  api_error_threshold: lots\n")
    line = _error(workspace).one_line()
    assert "monitoring.api_error_threshold" in line and "integer" in line


def test_key_in_the_wrong_file_says_where_it_belongs(workspace):
    workspace.write_app("monitoring:\n  heartbeat_max_age_seconds: 60\n")
    line = _error(workspace).one_line()
    assert "app.yaml:2: monitoring.heartbeat_max_age_seconds" in line
    assert "belongs in policy.yaml" in line


def test_missing_environment_variable_is_named(workspace):
    workspace.write_app("exchange:\n  id: binance\n  config:\n    apiKey: ${EXCHANGE_API_KEY}\n")
    line = _error(workspace).one_line()
    assert "EXCHANGE_API_KEY" in line and "exchange.config.apiKey" in line
    assert "app.yaml:4" in line


def test_environment_default_is_used(workspace):
    workspace.write_app("paths:\n  state_file: ${STATE_FILE:-/srv/bot/state.json}\n")
    settings = load_settings(workspace.config, environ={})
    assert str(settings.app.paths.state_file) == "/srv/bot/state.json"


def test_invalid_yaml_names_the_line(workspace):
    workspace.write_policy("risk:\n  daily_stop_loss_pct: [3\n")
    line = _error(workspace).one_line()
    assert "policy.yaml:" in line and "invalid YAML" in line


def test_unknown_check_name_in_disabled_alerts(workspace):
    workspace.write_app("monitoring:\n  alert_service:\n    disabled_alerts: [Nope Alert]\n")
    assert "no alert named 'Nope Alert'" in _error(workspace).one_line()


def test_unknown_timezone(workspace):
    workspace.write_app("timezone: Mars/Olympus\n")
    assert "unknown time zone" in _error(workspace).one_line()


def test_conflicting_min_eligible_assets(workspace):
    workspace.write_policy("risk:\n  min_eligible_assets: 3\nuniverse:\n  min_eligible_assets: 5\n")
    assert "disagree" in _error(workspace).one_line()


def test_missing_folder(tmp_path):
    with pytest.raises(ConfigError, match="configuration folder not found"):
        load_settings(tmp_path / "nowhere", environ={})


def test_config_folder_from_environment(workspace, monkeypatch):
    workspace.write_policy("risk:\n  daily_stop_loss_pct: 1.5\n")
    settings = load_settings(None, environ={"ALERT_MATRIX_CONFIG": str(workspace.config)})
    assert settings.policy.document.risk.daily_stop_loss_pct == 1.5


def test_secrets_are_masked_when_shown(workspace):
    workspace.write_app(
        """
        database_url: postgresql+psycopg://watch:pg-pass-123@db.internal/alerts
        exchange:
          id: coinbase
          config:
            apiKey: ${KEY}
            secret: literal-secret-value
            timeout: 5000
        monitoring:
          alert_service:
            webhook_url: https://hooks.slack.com/services/T000/B000/XYZSECRET
        """
    )
    settings = load_settings(workspace.config, environ={"KEY": "key-from-env-42"})
    shown = repr(shown_settings(settings))
    for secret in ("pg-pass-123", "key-from-env-42", "literal-secret-value", "XYZSECRET"):
        assert secret not in shown
        assert any(secret in value for value in secret_values(settings))
    assert "hooks.slack.com" in shown  # the receiver stays recognisable
    assert "5000" in shown
