"""The configuration schema of `app.yaml` (how to run); `config.policy` has policy.yaml.

Every key has a default, so an empty app.yaml works. Unknown
keys are errors (`extra="forbid"`), never silently ignored: a typo in a stop-loss key must
not leave the operator believing a threshold is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

from core.status import Severity


def _number(value: Any) -> Any:
    """YAML `true` is not 1 (pydantic would read it so): a number must be written as one."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


def _whole(value: Any) -> Any:
    """A count or a number of seconds is written whole: `30`, not `30.0` nor `-0.0`."""
    if isinstance(value, float):
        raise ValueError("must be a whole number")
    return _number(value)


# The longest duration that means anything here: a year (a window, a backoff, a schedule).
YEAR_SECONDS = 366 * 86400
# Numbers: finite, never booleans; integers from YAML or JSON are fine where a float is
# wanted, and so is numeric text (what `${ENV}` gives).
Real = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]
Whole = Annotated[int, BeforeValidator(_whole)]
Percent = Annotated[Real, Field(gt=0, le=100)]
Seconds = Annotated[Whole, Field(gt=0, le=YEAR_SECONDS)]
Duration = Annotated[Real, Field(gt=0, le=YEAR_SECONDS)]
Count = Annotated[Whole, Field(ge=1, le=1_000_000)]
Usd = Annotated[Real, Field(ge=0)]
Days = Annotated[Whole, Field(gt=0, le=3660)]
SeverityName = Literal["INFO", "WARNING", "CRITICAL"]


class Section(BaseModel):
    """Base for every section: unknown keys are errors and settings are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- app.yaml


class Paths(Section):
    """The bot's files that alert-matrix reads (relative paths: from the working directory)."""

    state_file: Path = Path("data/state.json")
    kill_switch_file: Path = Path("data/KILL_SWITCH")
    error_log_file: Path | None = Path("data/errors.jsonl")


class ErrorLogSettings(Section):
    """The persisted error log: how long its events are kept."""

    retention_days: Days = 30


class HistorySettings(Section):
    """How long check runs, alert events and settled notifications are kept."""

    retention_days: Days = 30


class ExchangeSettings(Section):
    """Which exchange to read through ccxt; `config` goes to the ccxt constructor as is,
    except that `recommended_options` fills in read-only tuning where `config` is silent."""

    id: str | None = Field(default=None, min_length=1)
    config: dict[str, Any] = Field(default_factory=dict)
    markets_ttl_seconds: Annotated[Whole, Field(ge=0, le=YEAR_SECONDS)] = 3600
    # None: inferred from the bot's symbols (a `:SETTLE` suffix), else ccxt's `defaultType`.
    derivatives: bool | None = None
    recommended_options: bool = True
    # Deposits and withdrawals read from the exchange when the equity moved (sources/transfers).
    read_transfers: bool = True
    # The daemon runs each check in its own job: an answer this fresh is reused, not asked
    # again (balance, tickers, positions), so checks firing together cost one request.
    reuse_seconds: Annotated[Real, Field(ge=0, le=YEAR_SECONDS)] = 5.0


class AlertService(Section):
    """`monitoring.alert_service`: the delivery policy, and the single-webhook form of a channel."""

    enabled: bool = True
    webhook_url: SecretStr | None = None
    min_severity: SeverityName = "WARNING"
    dedupe_seconds: Annotated[Whole, Field(ge=0, le=YEAR_SECONDS)] = 60
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


class ChannelSettings(Section):
    """What every channel entry has; each channel type adds its own keys (its address, a
    key or a token: secrets, unlike its name).

    An `escalation` channel (a pager) receives only escalated notifications and the
    resolution of what it was sent; the others receive everything at or above their floor.
    `url` overrides where an HTTP channel sends (tests point it at a local server).
    """

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    type: str
    url: SecretStr | None = None
    min_severity: SeverityName = "WARNING"
    escalation: bool = False
    timeout_seconds: Annotated[Real, Field(gt=0, le=120)] = 10.0

    @property
    def min_severity_level(self) -> Severity:
        return Severity.parse(self.min_severity)


class Delivery(Section):
    """How the outbox is delivered: exponential backoff with a cap, then give up."""

    backoff_initial_seconds: Duration = 5.0
    backoff_max_seconds: Duration = 300.0
    give_up_after_seconds: Seconds = 86400
    batch_size: Count = 50
    budget_seconds: Duration = 30.0

    @model_validator(mode="after")
    def _cap_above_start(self) -> Delivery:
        if self.backoff_max_seconds < self.backoff_initial_seconds:
            raise ValueError("backoff_max_seconds must be >= backoff_initial_seconds")
        return self


class Server(Section):
    enabled: bool = True
    # The status page at `/` beside /metrics and /healthz (README "Status page").
    page: bool = True
    host: str = "127.0.0.1"
    port: Annotated[Whole, Field(ge=0, le=65535)] = 9464


class Logging(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


AccountName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=100)]


class AccountSettings(Section):
    """One bot of a fleet: its name (the first part of its alert keys), its files, its
    exchange account, and the policy.yaml keys it sets differently."""

    name: AccountName
    paths: Paths = Field(default_factory=Paths)
    exchange: ExchangeSettings = Field(default_factory=ExchangeSettings)
    policy: dict[str, Any] = Field(default_factory=dict)  # checked against policy.yaml's schema


class AppConfig(Section):
    """app.yaml: where things are and how alert-matrix runs and notifies."""

    timezone: str = "UTC"
    account: AccountName = "default"
    database_url: SecretStr = SecretStr("sqlite:///data/alert_matrix.db")
    paths: Paths = Field(default_factory=Paths)
    error_log: ErrorLogSettings = Field(default_factory=ErrorLogSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    exchange: ExchangeSettings = Field(default_factory=ExchangeSettings)
    monitoring: MonitoringApp = Field(default_factory=MonitoringApp)
    channels: list[ChannelSettings] = Field(default_factory=list)  # typed by the loader
    # A fleet: one entry per bot. Without it, `account`, `paths` and `exchange` are the one bot.
    accounts: list[AccountSettings] = Field(default_factory=list)
    delivery: Delivery = Field(default_factory=Delivery)
    schedule: dict[str, Seconds] = Field(default_factory=lambda: {"default": 30})
    # Checks not evaluated at all (e.g. no exchange to read): `check all` and the daemon
    # leave them out. Unlike `disabled_alerts`, which mutes delivery only.
    skip_checks: list[str] = Field(default_factory=list)
    # The daemon runs a file's checks as soon as the file changes (inotify); the intervals
    # stay as the safety net. False: intervals only.
    watch_files: bool = True
    # Daemons sharing one PostgreSQL database divide the accounts among them (each account
    # evaluated by one runner at a time). False: every runner evaluates every account.
    divide_accounts: bool = True
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
    def _unique_channel_names(cls, channels: list[ChannelSettings]) -> list[ChannelSettings]:
        names = [channel.name for channel in channels]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"channel names must be unique: {', '.join(duplicates)}")
        return channels

    @model_validator(mode="after")
    def _one_form_of_account(self) -> AppConfig:
        if not self.accounts:
            return self
        single = {"account", "paths", "exchange"} & self.model_fields_set
        if single:
            raise ValueError(
                f"set either `accounts` (a fleet) or {', '.join(sorted(single))} (one bot), "
                "not both"
            )
        names = [account.name for account in self.accounts]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"account names must be unique: {', '.join(duplicates)}")
        return self

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
