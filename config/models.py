"""The configuration schema: `app.yaml` (how to run) and `policy.yaml` (thresholds).

Every threshold of the alert matrix has a default, so an empty policy.yaml works. Unknown
keys are errors (`extra="forbid"`), never silently ignored: a typo in a stop-loss key must
not leave the operator believing a threshold is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from core.status import Severity

Percent = Annotated[float, Field(gt=0, le=100)]
Seconds = Annotated[int, Field(gt=0)]
Count = Annotated[int, Field(ge=1)]
Usd = Annotated[float, Field(ge=0)]
SeverityName = Literal["INFO", "WARNING", "CRITICAL"]


class Section(BaseModel):
    """Base for every section: unknown keys are errors and settings are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- policy.yaml


class RiskPolicy(Section):
    daily_stop_loss_pct: Percent = 3.0
    weekly_stop_loss_pct: Percent = 7.0
    max_drawdown_pct: Percent = 10.0
    min_eligible_assets: Count | None = None  # the plan's spelling; see UniversePolicy
    pnl_source: Literal["exchange", "state"] = "exchange"
    equity_currency: str = "USD"


class ExecutionPolicy(Section):
    max_order_rejections: Count = 3
    rejection_window_seconds: Seconds = 600


class MonitoringPolicy(Section):
    api_error_threshold: Count = 2
    api_error_lookback_seconds: Seconds = 300
    reconcile_mismatch_threshold_pct: Percent = 5.0
    reconcile_mismatch_threshold_usd: Usd = 10.0
    reconcile_dust_usd: Usd = 1.0
    max_exceptions_per_window: Count = 2
    exception_window_seconds: Seconds = 300
    heartbeat_max_age_seconds: Seconds = 300


class UniversePolicy(Section):
    min_eligible_assets: Count = 2
    quote_currencies: list[str] = Field(default_factory=lambda: ["USD", "USDT", "USDC"])
    exclude: list[str] = Field(default_factory=list)
    min_quote_volume_24h: Usd = 0.0


class Policy(Section):
    """policy.yaml: the thresholds of the alert matrix (SPEC §1)."""

    risk: RiskPolicy = Field(default_factory=RiskPolicy)
    execution: ExecutionPolicy = Field(default_factory=ExecutionPolicy)
    monitoring: MonitoringPolicy = Field(default_factory=MonitoringPolicy)
    universe: UniversePolicy = Field(default_factory=UniversePolicy)

    @model_validator(mode="before")
    @classmethod
    def _plan_spelling_of_min_eligible_assets(cls, data: Any) -> Any:
        """Accept `risk.min_eligible_assets` (the plan's key) as `universe.min_eligible_assets`."""
        if not isinstance(data, dict):
            return data
        risk, universe = data.get("risk"), data.get("universe")
        if not isinstance(risk, dict) or "min_eligible_assets" not in risk:
            return data
        if isinstance(universe, dict) and "min_eligible_assets" in universe:
            if universe["min_eligible_assets"] != risk["min_eligible_assets"]:
                raise ValueError(
                    "risk.min_eligible_assets and universe.min_eligible_assets disagree; "
                    "set only one"
                )
            return data
        universe = dict(universe) if isinstance(universe, dict) else {}
        universe["min_eligible_assets"] = risk["min_eligible_assets"]
        return {**data, "universe": universe}


# --------------------------------------------------------------------------- app.yaml


class Paths(Section):
    """The bot's files that alert-matrix reads (relative paths: from the working directory)."""

    state_file: Path = Path("data/state.json")
    kill_switch_file: Path = Path("data/KILL_SWITCH")
    error_log_file: Path | None = Path("data/errors.jsonl")


class ErrorLogSettings(Section):
    """The persisted error log (SPEC §2.2): how long its events are kept."""

    retention_days: Annotated[int, Field(gt=0)] = 30


class HistorySettings(Section):
    """How long check runs, alert events and settled notifications are kept."""

    retention_days: Annotated[int, Field(gt=0)] = 30


class ExchangeSettings(Section):
    """Which exchange to read through ccxt; `config` goes to the ccxt constructor as is,
    except that `recommended_options` fills in read-only tuning where `config` is silent."""

    id: str | None = Field(default=None, min_length=1)
    config: dict[str, Any] = Field(default_factory=dict)
    markets_ttl_seconds: Annotated[int, Field(ge=0)] = 3600
    # None: inferred from the bot's symbols (a `:SETTLE` suffix), else ccxt's `defaultType`.
    derivatives: bool | None = None
    recommended_options: bool = True
    # Deposits and withdrawals read from the exchange when the equity moved (sources/transfers).
    read_transfers: bool = True
    # The daemon runs each check in its own job: an answer this fresh is reused, not asked
    # again (balance, tickers, positions), so checks firing together cost one request.
    reuse_seconds: Annotated[float, Field(ge=0)] = 5.0


class AlertService(Section):
    """The plan's `monitoring.alert_service` block: delivery policy and the default channel."""

    enabled: bool = True
    webhook_url: SecretStr | None = None
    min_severity: SeverityName = "WARNING"
    dedupe_seconds: Annotated[int, Field(ge=0)] = 60
    escalation_seconds: Seconds = 120
    repeat_seconds: Seconds = 3600
    disabled_alerts: list[str] = Field(default_factory=list)
    unknown_alert_after: Count = 3

    @property
    def min_severity_level(self) -> Severity:
        return Severity.parse(self.min_severity)


class MonitoringApp(Section):
    alert_service: AlertService = Field(default_factory=AlertService)
    deadman_url: SecretStr | None = None


PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"


class Channel(Section):
    """One notification destination; its URL or routing key is a secret, its name is not.

    An `escalation` channel (a pager) receives only escalated notifications and the
    resolution of what it was sent; the others receive everything at or above their floor.
    """

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    type: Literal["console", "webhook", "slack", "pagerduty"]
    url: SecretStr | None = None
    routing_key: SecretStr | None = None
    min_severity: SeverityName = "WARNING"
    escalation: bool = False
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0

    @model_validator(mode="after")
    def _needs_its_address(self) -> Channel:
        if self.type in ("webhook", "slack") and self.url is None:
            raise ValueError(f"a {self.type} channel needs `url`")
        if self.type == "pagerduty" and self.routing_key is None:
            raise ValueError("a pagerduty channel needs `routing_key`")
        return self

    @property
    def min_severity_level(self) -> Severity:
        return Severity.parse(self.min_severity)

    def address(self) -> str:
        """Where to POST; PagerDuty's public Events API v2 unless `url` overrides it."""
        if self.url is not None:
            return self.url.get_secret_value()
        return PAGERDUTY_EVENTS_URL if self.type == "pagerduty" else ""


class Delivery(Section):
    """How the outbox is delivered: exponential backoff with a cap, then give up."""

    backoff_initial_seconds: Annotated[float, Field(gt=0)] = 5.0
    backoff_max_seconds: Annotated[float, Field(gt=0)] = 300.0
    give_up_after_seconds: Seconds = 86400
    batch_size: Count = 50
    budget_seconds: Annotated[float, Field(gt=0)] = 30.0

    @model_validator(mode="after")
    def _cap_above_start(self) -> Delivery:
        if self.backoff_max_seconds < self.backoff_initial_seconds:
            raise ValueError("backoff_max_seconds must be >= backoff_initial_seconds")
        return self


class Server(Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 9464


class Logging(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class AppConfig(Section):
    """app.yaml: where things are and how alert-matrix runs and notifies."""

    timezone: str = "UTC"
    account: str = Field(default="default", pattern=r"^[A-Za-z0-9_.-]+$")
    database_url: SecretStr = SecretStr("sqlite:///data/alert_matrix.db")
    paths: Paths = Field(default_factory=Paths)
    error_log: ErrorLogSettings = Field(default_factory=ErrorLogSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    exchange: ExchangeSettings = Field(default_factory=ExchangeSettings)
    monitoring: MonitoringApp = Field(default_factory=MonitoringApp)
    channels: list[Channel] = Field(default_factory=list)
    delivery: Delivery = Field(default_factory=Delivery)
    schedule: dict[str, Seconds] = Field(default_factory=lambda: {"default": 30})
    # Checks not evaluated at all (e.g. no exchange to read): `check all` and the daemon
    # leave them out. Unlike `disabled_alerts`, which mutes delivery only.
    skip_checks: list[str] = Field(default_factory=list)
    server: Server = Field(default_factory=Server)
    logging: Logging = Field(default_factory=Logging)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from None
        return value

    @field_validator("channels")
    @classmethod
    def _unique_channel_names(cls, channels: list[Channel]) -> list[Channel]:
        names = [channel.name for channel in channels]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"channel names must be unique: {', '.join(duplicates)}")
        return channels

    @model_validator(mode="after")
    def _plan_webhook_name_is_free(self) -> AppConfig:
        taken = {channel.name for channel in self.channels}
        if self.monitoring.alert_service.webhook_url is not None and "webhook" in taken:
            raise ValueError(
                "monitoring.alert_service.webhook_url is the channel named 'webhook'; "
                "rename the channel of that name in `channels`"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
