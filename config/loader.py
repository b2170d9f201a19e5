"""Find, read, expand and validate `app.yaml` and `policy.yaml` into one `Settings`.

Every failure becomes a `ConfigError` naming the file, the line where it can be told, the
key path and the problem, so `main.py` can exit 3 with one readable line.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import BaseModel, Field, ValidationError, create_model

from config.env import MissingVariable, expand
from config.errors import ConfigError
from config.models import AppConfig, ChannelSettings
from config.policy import SHARED_PARTS, Policy, PolicyPart, policy_from, policy_schema
from config.yaml_shape import MAX_FILE_BYTES, check_shape
from core.format import shown

CONFIG_ENV = "ALERT_MATRIX_CONFIG"
DEFAULT_DIR = Path("config")
APP_FILE = "app.yaml"
# `schedule:` keys besides the check names: the daemon's own jobs.
SCHEDULE_JOBS = ("default", "delivery", "ingest", "retention", "garbage", "deadman", "claims")
POLICY_FILE = "policy.yaml"


@dataclass(frozen=True)
class Schema:
    """What the configuration may name besides its fixed keys, told by the layers that own
    it: the checks (their names, titles and policy keys) and the channel types."""

    checks: Mapping[str, str]  # name -> title, in matrix order
    policy_parts: tuple[type[PolicyPart], ...]
    channel_types: tuple[type[ChannelSettings], ...]

    def find_check(self, name_or_title: str) -> str | None:
        """The check named `reconcile` or titled `Reconcile Mismatch`, any case."""
        wanted = name_or_title.strip().lower()
        for name, title in self.checks.items():
            if wanted in (name, title.lower()):
                return name
        return None

    def app_model(self) -> type[AppConfig]:
        """app.yaml with `channels` typed by their `type`."""
        if not self.channel_types:
            return AppConfig
        entry = Annotated[Union[self.channel_types], Field(discriminator="type")]  # noqa: UP007
        channels = (list[entry], Field(default_factory=list))  # type: ignore[valid-type]
        return create_model("AppFile", __base__=AppConfig, channels=channels)

    def policy_model(self) -> type[BaseModel]:
        return policy_schema((*SHARED_PARTS, *self.policy_parts))


@dataclass(frozen=True)
class Settings:
    """The configuration in force, and which of its values are secrets."""

    config_dir: Path
    app: AppConfig
    policy: Policy
    schema: Schema
    env_paths: frozenset[str]  # "app.yaml:exchange.config.apiKey": values taken from ${ENV}
    members: tuple[Settings, ...] = ()  # a fleet: each account's own view of the settings

    @property
    def account(self) -> str:
        return self.app.account

    def fleet(self) -> tuple[Settings, ...]:
        """Every account watched: the fleet's members, or this one bot."""
        return self.members or (self,)

    def of_account(self, name: str) -> Settings | None:
        return next((member for member in self.fleet() if member.account == name), None)


def resolve_config_dir(explicit: str | Path | None, environ: Mapping[str, str]) -> Path:
    """`--config DIR`, else `$ALERT_MATRIX_CONFIG`, else `config/`."""
    if explicit:
        return Path(explicit)
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    return DEFAULT_DIR


def load_settings(
    schema: Schema,
    config_dir: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Load and validate both files; raise `ConfigError` on the first problem found."""
    environ = os.environ if environ is None else environ
    directory = resolve_config_dir(config_dir, environ)
    if not directory.is_dir():
        raise ConfigError(directory, "", "configuration folder not found")
    env_paths: set[str] = set()
    models = {APP_FILE: schema.app_model(), POLICY_FILE: schema.policy_model()}
    app, app_lines = _load_file(directory / APP_FILE, models, environ, env_paths)
    document, _ = _load_file(directory / POLICY_FILE, models, environ, env_paths)
    parts = (*SHARED_PARTS, *schema.policy_parts)
    settings = Settings(directory, app, policy_from(document, parts), schema, frozenset(env_paths))
    _check_names(settings)
    members = tuple(
        _member(settings, index, document, models, app_lines) for index in range(len(app.accounts))
    )
    return replace(settings, members=members)


def _member(
    fleet: Settings,
    index: int,
    document: BaseModel,
    models: Mapping[str, type[BaseModel]],
    lines: dict[str, int],
) -> Settings:
    """The settings as one account of the fleet sees them: its name, files and exchange, and
    policy.yaml with its own overrides (validated like policy.yaml itself)."""
    account = fleet.app.accounts[index]
    model = models[POLICY_FILE]
    try:
        overrides = model.model_validate(account.policy).model_dump(exclude_unset=True)
        merged = model.model_validate(_deep_merge(document.model_dump(), overrides))
    except ValidationError as invalid:
        prefix = ("accounts", index, "policy")
        raise _describe(invalid, fleet.config_dir / APP_FILE, lines, models, prefix) from None
    view = {"account": account.name, "paths": account.paths, "exchange": account.exchange}
    app = fleet.app.model_copy(update={**view, "accounts": []})
    parts = (*SHARED_PARTS, *fleet.schema.policy_parts)
    return replace(fleet, app=app, policy=policy_from(merged, parts), members=())


def _deep_merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _load_file(
    path: Path,
    models: Mapping[str, type[BaseModel]],
    environ: Mapping[str, str],
    env_paths: set[str],
) -> tuple[Any, dict[str, int]]:
    raw, lines = _read_yaml(path)
    expanded: set[str] = set()
    try:
        data = expand(raw, environ, expanded=expanded)
    except MissingVariable as missing:
        raise ConfigError(
            path,
            missing.path,
            f"environment variable {missing.name} is not set",
            lines.get(missing.path),
        ) from None
    env_paths.update(f"{path.name}:{key}" for key in expanded)
    try:
        return models[path.name].model_validate(data), lines
    except ValidationError as invalid:
        raise _describe(invalid, path, lines, models) from None


def _read_yaml(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The file as a mapping (an absent or empty file is `{}`) and the line of every key."""
    if not path.exists():
        return {}, {}
    text = _read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        check_shape(path, node)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(path, "", f"invalid YAML: {problem}", line) from None
    except RecursionError:
        raise ConfigError(path, "", "invalid YAML: nested too deeply") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(path, "", f"the top level must be a mapping, not {type(data).__name__}")
    return data, _key_lines(node)


def _read_text(path: Path) -> str:
    """The file's text: UTF-8, without NUL bytes, and of a size a configuration can have."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, "", f"cannot read the file: {error}") from None
    if len(raw) > MAX_FILE_BYTES:
        too_large = f"larger than {MAX_FILE_BYTES // 1024} KiB: not a configuration"
        raise ConfigError(path, "", too_large)
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise ConfigError(path, "", "a NUL byte: not a text file", line)
    return text


def _key_lines(node: yaml.Node | None, path: str = "") -> dict[str, int]:
    """Map each key path (`risk.daily_stop_loss_pct`, `channels[0].url`) to its line number."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = f"{path}.{key_node.value}" if path else str(key_node.value)
            lines[key_path] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, key_path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = f"{path}[{index}]"
            lines[item_path] = item.start_mark.line + 1
            lines.update(_key_lines(item, item_path))
    return lines


def _describe(
    invalid: ValidationError,
    path: Path,
    lines: dict[str, int],
    models: Mapping[str, type[BaseModel]],
    prefix: tuple[int | str, ...] = (),
) -> ConfigError:
    """Turn pydantic's first error into one line; count the rest. `prefix`: where in the
    file the validated part sits (an account's policy overrides in app.yaml)."""
    errors = invalid.errors()
    first = errors[0]
    key = _key_path((*prefix, *first["loc"]))
    if first["type"] == "extra_forbidden":
        owner = Path(POLICY_FILE) if prefix else path
        problem = "unknown key" + _hint(first["loc"], owner, models)
    else:
        problem = first["msg"].removeprefix("Value error, ")
        if first["type"] not in ("missing",) and not _looks_secret(key):
            problem += f" (got {shown(first['input'])})"
    if len(errors) > 1:
        others = ", ".join(
            _key_path((*prefix, *error["loc"])) or "(top level)" for error in errors[1:4]
        )
        problem += f"; {len(errors) - 1} more: {others}" + ("..." if len(errors) > 4 else "")
    return ConfigError(path, key, problem, _line_of(key, lines))


def _key_path(loc: tuple[int | str, ...]) -> str:
    parts = ""
    for part in loc:
        parts += f"[{part}]" if isinstance(part, int) else (f".{part}" if parts else str(part))
    return parts


def _line_of(key: str, lines: dict[str, int]) -> int | None:
    while key:
        if key in lines:
            return lines[key]
        key = key.rsplit(".", 1)[0] if "." in key else ""
    return None


def _hint(loc: tuple[int | str, ...], path: Path, models: Mapping[str, type[BaseModel]]) -> str:
    """Suggest the key the operator probably meant, or the file it belongs in."""
    *parents, name = loc
    other = POLICY_FILE if path.name == APP_FILE else APP_FILE
    if _model_at(models[other], parents, str(name)):
        return f" here (it belongs in {other})"
    model = _model_at(models[path.name], parents, None)
    if model is not None:
        close = difflib.get_close_matches(str(name), list(model.model_fields), n=1)
        if close:
            return f" (did you mean {close[0]!r}?)"
    return ""


def _model_at(
    model: type[BaseModel], parents: list[int | str], field: str | None
) -> type[BaseModel] | bool | None:
    """Walk `parents` through nested sections; with `field`, tell whether it exists there."""
    current: Any = model
    for part in parents:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(str(part)) if _is_model(current) else None
        if info is None:
            return None
        current = _section_type(info.annotation)
    if field is None:
        return current if _is_model(current) else None
    return _is_model(current) and field in current.model_fields


def _section_type(annotation: Any) -> Any:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if _is_model(candidate):
            return candidate
    return None


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def _looks_secret(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in ("key", "secret", "password", "token", "url", "uid"))


def _check_names(settings: Settings) -> None:
    """Check names in `schedule`, `skip_checks` and `disabled_alerts` must exist: a typo would
    mute nothing."""
    checks = settings.schema.checks
    app_file = settings.config_dir / APP_FILE
    valid = ", ".join(checks)
    schedulable = [*SCHEDULE_JOBS, *checks]
    for name in settings.app.schedule:
        if name not in schedulable:
            raise ConfigError(
                app_file, f"schedule.{name}", f"no such job (valid: {', '.join(schedulable)})"
            )
    for name in settings.app.skip_checks:
        if name not in checks:
            raise ConfigError(app_file, "skip_checks", f"no check named {name!r} (valid: {valid})")
    for entry in settings.app.monitoring.alert_service.disabled_alerts:
        if settings.schema.find_check(entry) is None:
            raise ConfigError(
                app_file,
                "monitoring.alert_service.disabled_alerts",
                f"no alert named {entry!r} (use a title or one of: {valid})",
            )
