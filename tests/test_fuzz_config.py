"""The configuration, fuzzed: any app.yaml or policy.yaml gives settings or one
`configuration error: FILE[:LINE]: key: problem` line, never a traceback; a numeric key takes
only a finite number (not `true`, `.inf` or `.nan`)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel

from config import ConfigError
from jobs.settings import SCHEMA, load_settings
from tests.fuzz import fuzz, is_number, json_values, one_line


def _numeric_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key of the schema whose value is a number (`delivery.budget_seconds`...)."""
    found = []
    for name, info in model.model_fields.items():
        types = getattr(info.annotation, "__args__", None) or (info.annotation,)
        nested = [t for t in types if isinstance(t, type) and issubclass(t, BaseModel)]
        if nested:
            found += _numeric_keys(nested[0], f"{prefix}{name}.")
        elif any(t in (int, float) for t in types):
            found.append(f"{prefix}{name}")
    return found


NUMERIC = [("app.yaml", key) for key in [*_numeric_keys(SCHEMA.app_model()), "schedule.default"]]
NUMERIC += [("policy.yaml", key) for key in _numeric_keys(SCHEMA.policy_model())]


def _nest(key: str, value: Any) -> dict[str, Any]:
    for part in reversed(key.split(".")):
        value = {part: value}
    return value


def _load(folder, file: str, text: str):
    (folder / "app.yaml").write_text("")
    (folder / "policy.yaml").write_text("")
    (folder / file).write_text(text)
    try:
        return load_settings(folder, environ={})
    except ConfigError as error:
        line = error.one_line()
        assert one_line(line) and line.startswith(f"configuration error: {folder / file}"), line
        return None


def test_the_numeric_keys_are_found():
    assert ("policy.yaml", "risk.weekly_stop_loss_pct") in NUMERIC
    assert ("app.yaml", "delivery.budget_seconds") in NUMERIC
    assert ("app.yaml", "server.port") in NUMERIC


@fuzz(120)
@given(place=st.sampled_from(NUMERIC), value=json_values)
@example(place=("policy.yaml", "risk.weekly_stop_loss_pct"), value=True)  # was 1.0 %
@example(place=("app.yaml", "schedule.default"), value=True)  # was 1 s
@example(place=("app.yaml", "delivery.budget_seconds"), value=float("inf"))
@example(place=("app.yaml", "delivery.budget_seconds"), value="1e400")
@example(place=("app.yaml", "server.port"), value=-0.0)
def test_a_numeric_key_takes_only_a_finite_number(tmp_path, place, value):
    file, key = place
    settings = _load(tmp_path, file, yaml.safe_dump(_nest(key, value)))
    if settings is None:
        return
    assert is_number(value), f"{key}: {value!r} was accepted as a number"
    document = settings.app if file == "app.yaml" else settings.policy.document
    for part in key.split("."):
        document = document[part] if isinstance(document, dict) else getattr(document, part)
    assert float(document) == float(value)


@fuzz(50)
@given(document=st.dictionaries(st.text(max_size=8), json_values, max_size=4))
def test_any_mapping_is_settings_or_one_line(tmp_path, document):
    _load(tmp_path, "app.yaml", yaml.safe_dump(document))


@pytest.mark.parametrize("file", ["app.yaml", "policy.yaml"])
@fuzz(50)
@given(text=st.text(max_size=80))
@example(text="risk: &x\n  a: *x\n")  # was a RecursionError traceback
@example(text="risk:\n  a: 1\0\n")  # was two lines
@example(text="a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n")
@example(text="a: " + "[" * 200 + "]" * 200)
def test_any_text_is_settings_or_one_line(tmp_path, file, text):
    _load(tmp_path, file, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("risk: &x\n  a: *x\n", "policy.yaml:1: risk.a: an alias refers to a node that contains"),
        ("risk:\n  a: 1\0\n", "policy.yaml:2: a NUL byte: not a text file"),
        ("risk: {weekly_stop_loss_pct: true}\n", "must be a number, not a boolean"),
    ],
)
def test_the_cases_found_exit_3_with_one_line(workspace, text, expected):
    (workspace.config / "policy.yaml").write_text(text)
    result = workspace.run("config", "check")
    assert result.returncode == 3
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert expected in result.stderr
