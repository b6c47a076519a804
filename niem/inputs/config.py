"""Load and validate the workflow configuration (config/config.yaml)."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem, raise_if
from ..core.schema import schema_problems
from ..core.yamlio import load_yaml

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"

DEFAULTS = {"raw_dir": "raw", "results_dir": "results", "reports_dir": "reports", "report_engine": "auto",
            "archive_dir": "archives", "warm_worker": True}


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


def command_line_values(overrides: dict, schema: str | Path = SCHEMA) -> dict:
    """``--config key=value`` overrides with 'true'/'false' (any case) read as booleans where the
    schema asks for one, as in the YAML file: Snakemake itself turns only 'True'/'False' into
    booleans and passes 'true' on as a string."""
    data, _ = load_yaml(schema)
    kinds = {key: spec.get("type") for key, spec in data.get("properties", {}).items() if isinstance(spec, dict)}
    return {key: (value.lower() == "true" if kinds.get(key) == "boolean" and isinstance(value, str)
                  and value.lower() in ("true", "false") else value)
            for key, value in overrides.items()}


def override_problems(problems: list[Problem], overrides: dict) -> list[Problem]:
    """``problems`` with those of a top-level key given with ``--config`` located there, not in
    the configuration file (the bad value came from the command line)."""
    return [Problem("--config (command line)", None, p.field, p.message)
            if p.field and p.field.split(".")[0].split("[")[0] in overrides else p for p in problems]


def with_defaults(config: dict) -> dict:
    out = dict(DEFAULTS)
    out.update(config)
    return out


def country_codes(config: dict) -> list[str]:
    return [c["code"] for c in config["countries"]]


def round_ids(config: dict) -> list[str]:
    return [r["id"] for r in config["rounds"]]
