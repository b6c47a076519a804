"""JSON-schema validation of YAML files, reported with file, line and field."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import Problem
from .yamlio import FAST_SAFE_LOADER, dotted, line_of

# jsonschema (0.25 s to import) is imported where a file is validated: most jobs import this module
# through niem's input readers but validate nothing.


@lru_cache(maxsize=None)
def load_schema(path: str) -> dict:
    # The project's own schemas are checked against the JSON-schema meta-schema by the tests
    # (tests/test_codebook_config.py), not at every Snakemake start-up (0.1 s each time).
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=FAST_SAFE_LOADER)  # noqa: S506 (a safe loader)


def _describe(error: "jsonschema.ValidationError") -> str:  # noqa: F821
    import jsonschema

    # oneOf failures are unreadable as-is; name the closest alternative's complaint instead
    if error.validator == "oneOf" and error.context:
        # the alternative whose shape fits (no unexpected/missing key or wrong type at its top)
        # says what is really wrong, e.g. a number out of range; else jsonschema's best match
        branches: dict = {}
        for e in error.context:
            branches.setdefault(e.relative_schema_path[0], []).append(e)
        fits = [es for es in branches.values()
                if not any(e.validator in ("additionalProperties", "required", "type", "const") and not e.relative_path for e in es)]
        best = _describe(fits[0][0] if len(fits) == 1 else jsonschema.exceptions.best_match(error.context))
        return f"{best}; expected {error.schema['description']}" if "description" in error.schema else best
    if error.validator == "pattern" and "description" in error.schema:
        return f"{error.instance!r} is not valid; expected {error.schema['description']}"
    if error.validator == "type" and error.validator_value == "string" and isinstance(error.instance, (int, float, bool)):
        return f"{error.message} (put the value in quotes to make it text)"
    return error.message


def nonfinite_problems(data: object, file: str, lines: dict, path: tuple = ()) -> list[Problem]:
    """Every NaN or infinity in YAML data (``.nan``, ``.inf``, ``-.inf``): JSON-schema bounds never
    reject NaN (every comparison with it is false), so it would pass any ``minimum``/``maximum``."""
    if isinstance(data, float) and not math.isfinite(data):
        return [Problem(file, line_of(lines, path), dotted(path), f"{data} is not a finite number; expected a plain number such as 0.5")]
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in nonfinite_problems(value, file, lines, path + (key,))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in nonfinite_problems(value, file, lines, path + (i,))]
    return []


def schema_problems(data: object, schema_path: str | Path, file: str, lines: dict) -> list[Problem]:
    """Schema violations, and NaN or infinite numbers anywhere (which the schema cannot catch)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema(str(schema_path)))
    problems = nonfinite_problems(data, file, lines)
    if problems:
        return problems
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = list(error.schema.get("properties", {}))
            for key in [k for k in error.instance if k not in known]:
                where = path + (key,)
                problems.append(Problem(file, line_of(lines, where), dotted(where), f"unknown key '{key}'; expected one of: {', '.join(known)}"))
            continue
        problems.append(Problem(file, line_of(lines, path), dotted(path), _describe(error)))
    return problems
