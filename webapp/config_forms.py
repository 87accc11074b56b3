"""Forms generated from a module's pydantic ``config_schema``: fields to render, data to validate."""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel


@dataclass
class ConfigField:
    name: str
    label: str
    kind: str  # checkbox | number | text | email | select
    value: typing.Any
    required: bool = False
    choices: list[str] = field(default_factory=list)
    min: int | None = None
    max: int | None = None
    maxlength: int | None = None
    description: str | None = None
    error: str | None = None


def _unwrap_optional(annotation):
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0], True) if len(args) == 1 else (annotation, True)
    return annotation, False


def _kind(annotation) -> tuple[str, list[str]]:
    if typing.get_origin(annotation) is typing.Literal:
        return "select", [str(v) for v in typing.get_args(annotation)]
    if annotation is bool:
        return "checkbox", []
    if annotation in (int, float):
        return "number", []
    if getattr(annotation, "__name__", "") in ("EmailStr", "NameEmail"):
        return "email", []
    return "text", []


def config_fields(schema: type[BaseModel], values: dict, errors: dict[str, str] | None = None) -> list[ConfigField]:
    errors = errors or {}
    fields = []
    for name, info in schema.model_fields.items():
        annotation, optional = _unwrap_optional(info.annotation)
        kind, choices = _kind(annotation)
        spec = ConfigField(
            name=name,
            label=info.title or name.replace("_", " ").capitalize(),
            kind=kind,
            value=values.get(name, info.default),
            required=not optional and kind != "checkbox",
            choices=choices,
            description=info.description,
            error=errors.get(name),
        )
        for constraint in info.metadata:
            if isinstance(constraint, Ge):
                spec.min = constraint.ge
            elif isinstance(constraint, Le):
                spec.max = constraint.le
            elif isinstance(constraint, MaxLen):
                spec.maxlength = constraint.max_length
            elif isinstance(constraint, MinLen) and constraint.min_length == 0:
                spec.required = False
        fields.append(spec)
    return fields


def form_data(schema: type[BaseModel], form) -> dict:
    """Read submitted values the way the schema expects them (absent checkbox = False)."""
    data = {}
    for name, info in schema.model_fields.items():
        annotation, optional = _unwrap_optional(info.annotation)
        kind, _ = _kind(annotation)
        if kind == "checkbox":
            data[name] = form.get(name) in ("on", "true", "1", "y")
            continue
        raw = form.get(name, "")
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw == "" and optional:
            data[name] = None
        else:
            data[name] = raw
    return data
