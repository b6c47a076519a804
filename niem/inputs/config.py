"""Load and validate the workflow configuration (config/config.yaml)."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem, raise_if
from ..core.schema import schema_problems
from ..core.yamlio import load_yaml

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"

DEFAULTS = {"raw_dir": "raw", "results_dir": "results", "reports_dir": "reports", "report_engine": "auto",
            "archive_dir": "archives"}


def config_problems(config: dict, file: str, lines: dict, schema: str | Path = SCHEMA) -> list[Problem]:
    problems = schema_problems(config, schema, file, lines)
    if problems or not isinstance(config, dict):
        return problems
    for key in ("countries", "rounds"):
        seen: dict[str, int] = {}
        ident = "code" if key == "countries" else "id"
        for i, entry in enumerate(config[key]):
            value = entry[ident]
            if value in seen:
                problems.append(Problem(file, lines.get((key, i, ident)), f"{key}[{i}].{ident}",
                                        f"duplicate {ident} '{value}' (also {key}[{seen[value]}])"))
            seen[value] = i
    ids = [r["id"] for r in config["rounds"]]
    if ids != sorted(ids):
        problems.append(Problem(file, lines.get(("rounds",)), "rounds", f"rounds must be listed oldest first, got {', '.join(ids)}"))
    return problems


def load_config(path: str | Path, schema: str | Path = SCHEMA) -> dict:
    """Read, validate and complete a configuration file; raises InputError naming line and field."""
    data, lines = load_yaml(path)
    if data is None:
        data = {}
    raise_if(config_problems(data, str(path), lines, schema))
    return with_defaults(data)


def with_defaults(config: dict) -> dict:
    out = dict(DEFAULTS)
    out.update(config)
    return out


def country_codes(config: dict) -> list[str]:
    return [c["code"] for c in config["countries"]]


def round_ids(config: dict) -> list[str]:
    return [r["id"] for r in config["rounds"]]
