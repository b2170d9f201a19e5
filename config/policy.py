"""policy.yaml: the thresholds, each key owned by the check (or source) that reads it.

A check declares its own keys as a `PolicyPart` (defaults and validation, one section of the
file). The file's schema is assembled from the parts in force, so a new check brings its keys
with it and nothing here changes. Unknown keys stay errors: a typo in a stop-loss key must not
leave the operator believing a threshold is set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, Field, create_model, model_validator

from config.models import Section


class PolicyPart(Section):
    """Some keys of one section of policy.yaml, read together by one check or source."""

    section: ClassVar[str]
    # Other spellings accepted for a key of this part: {"risk.min_eligible_assets": field}.
    also_accepted: ClassVar[Mapping[str, str]] = {}


class EquityPolicy(PolicyPart):
    """How equity is found: read by the equity source, the loss checks and reconcile."""

    section = "risk"
    pnl_source: Literal["exchange", "state"] = "exchange"
    equity_currency: str = "USD"


class QuotePolicy(PolicyPart):
    """The quote currencies the bot trades in: the universe, and cash for reconcile."""

    section = "universe"
    quote_currencies: list[str] = Field(default_factory=lambda: ["USD", "USDT", "USDC"])


SHARED_PARTS: tuple[type[PolicyPart], ...] = (EquityPolicy, QuotePolicy)

P = TypeVar("P", bound=PolicyPart)


@dataclass(frozen=True)
class Policy:
    """The thresholds in force: the validated file, and each part as its owner reads it."""

    document: BaseModel
    parts: Mapping[type[PolicyPart], PolicyPart]

    def of(self, part: type[P]) -> P:
        found = self.parts[part]
        assert isinstance(found, part)
        return found


def policy_schema(parts: Iterable[type[PolicyPart]]) -> type[BaseModel]:
    """The model of policy.yaml: one section per section name, holding every part's keys."""
    sections: dict[str, dict[str, Any]] = {}
    spellings: dict[str, tuple[str, str]] = {}
    for part in dict.fromkeys(parts):
        fields = sections.setdefault(part.section, {})
        for name, info in part.model_fields.items():
            if name in fields:  # a key read by several owners belongs in a shared part
                raise TypeError(f"policy key {part.section}.{name} is declared twice")
            fields[name] = (info.annotation, info)
        for other, name in part.also_accepted.items():
            spellings[other] = (part.section, name)
    models = {
        section: create_model(f"{section.title()}Policy", __base__=Section, **fields)
        for section, fields in sections.items()
    }
    fields = {section: (model, Field(default_factory=model)) for section, model in models.items()}
    validators = {"_other_spellings": _other_spellings_validator(spellings)} if spellings else {}
    return create_model("PolicyFile", __base__=Section, __validators__=validators, **fields)


def _other_spellings_validator(spellings: Mapping[str, tuple[str, str]]) -> Any:
    """Accept a key under its other spelling (`risk.min_eligible_assets`); both spellings
    with different values is an error, never a silent choice."""

    def move(cls: type[BaseModel], data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for other, (section, name) in spellings.items():
            other_section, other_name = other.split(".", 1)
            found = data.get(other_section)
            if not isinstance(found, dict) or other_name not in found:
                continue
            target = data.get(section)
            target = dict(target) if isinstance(target, dict) else {}
            value = found[other_name]
            if name in target and target[name] != value:
                raise ValueError(f"{other} and {section}.{name} disagree; set only one")
            target[name] = value
            data = {**data, other_section: _without(found, other_name), section: target}
        return data

    return model_validator(mode="before")(classmethod(move))


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def policy_from(document: BaseModel, parts: Iterable[type[PolicyPart]]) -> Policy:
    """Each part filled from its section of the validated file."""
    found: dict[type[PolicyPart], PolicyPart] = {}
    for part in parts:
        section = getattr(document, part.section)
        values = {name: getattr(section, name) for name in part.model_fields}
        found[part] = part.model_validate(values)
    return Policy(document, found)
