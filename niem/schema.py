"""JSON-schema validation of YAML files, reported with file, line and field."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .errors import Problem
from .yamlio import dotted, line_of


@lru_cache(maxsize=None)
def load_schema(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        schema = yaml.safe_load(fh)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _describe(error: jsonschema.ValidationError) -> str:
    # oneOf failures are unreadable as-is; name the closest alternative's complaint instead
    if error.validator == "oneOf" and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        return best.message
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key(s) not allowed")
    return error.message


def schema_problems(data: object, schema_path: str | Path, file: str, lines: dict) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(load_schema(str(schema_path)))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(error.absolute_path)
        problems.append(Problem(file, line_of(lines, path), dotted(path), _describe(error)))
    return problems
