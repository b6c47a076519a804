"""Validation of the real per-country data transcribed from the NIEM Project Summary 2016-2022:
BIP statistics (raw/bip_statistics/{country}.csv) and national findings (raw/findings/{country}.csv).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.csvio import Row, parse_number, read_csv
from ..core.errors import Problem

BIP_COLUMNS = ["measure", "slot", "reference_as_printed", "value", "unit", "value_as_printed", "status",
               "basis", "qualifier", "source", "note"]
MEASURES = ("number_of_bips", "number_of_refugees", "number_of_bsps", "share_among_non_citizens",
            "share_of_population", "total_non_citizens", "total_population", "bips_without_citizenship",
            "humanitarian_permits")
UNITS = ("persons", "percent")
STATUSES = ("reported", "no_data", "upper_bound")
BASES = ("stock", "flow", "unknown")

FINDINGS_COLUMNS = ["section", "item", "tags_as_printed", "dimensions", "text"]
SECTIONS = ("conclusion", "recommendation", "data_availability", "data_recommendation")


def _choice(value: str, allowed: tuple, field: str, file: str, line: int) -> Problem | None:
    if value not in allowed:
        return Problem(file, line, field, f"'{value}' is not allowed; expected one of: {', '.join(allowed)}")
    return None


def validate_bip_statistics(rows: tuple[Row, ...], file: str) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    out: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        v = {k: (x or "").strip() for k, x in row.values.items()}
        here = [p for p in (
            _choice(v["measure"], MEASURES, "measure", file, row.line),
            _choice(v["unit"], UNITS, "unit", file, row.line),
            _choice(v["status"], STATUSES, "status", file, row.line),
            _choice(v["basis"], BASES, "basis", file, row.line),
        ) if p]
        if not re.fullmatch(r"[0-9]{4}", v["slot"]):
            here.append(Problem(file, row.line, "slot", f"'{v['slot']}' is not a year; expected the reference column as a 4-digit year"))
        if not v["value_as_printed"]:
            here.append(Problem(file, row.line, "value_as_printed", "empty; copy the cell as printed (e.g. 'no data')"))
        value = parse_number(v["value"]) if v["value"] else None
        if v["value"] and value is None:
            here.append(Problem(file, row.line, "value", f"'{v['value']}' is not a number; use '.' as decimal separator and no thousands separators"))
        elif v["status"] in ("reported", "upper_bound") and value is None:
            here.append(Problem(file, row.line, "value", f"status '{v['status']}' needs a number"))
        elif v["status"] == "no_data" and value is not None:
            here.append(Problem(file, row.line, "value", "status 'no_data' must have an empty value"))
        elif value is not None and (value < 0 or (v["unit"] == "percent" and value > 100)):
            here.append(Problem(file, row.line, "value", f"{v['value']} is out of range for unit '{v['unit']}'"))
        key = (v["measure"], v["slot"])
        if key in seen:
            here.append(Problem(file, row.line, "measure", f"duplicate row for {key[0]} in slot {key[1]} (first at line {seen[key]})"))
        seen.setdefault(key, row.line)
        problems += here
        if not here:
            out.append({**{c: v[c] or None for c in BIP_COLUMNS}, "value": value})
    return out, problems


def validate_findings(rows: tuple[Row, ...], dimension_ids: list[str], file: str) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    out: list[dict] = []
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        v = {k: (x or "").strip() for k, x in row.values.items()}
        here = [p for p in (_choice(v["section"], SECTIONS, "section", file, row.line),) if p]
        # ASCII digits only ('²'.isdigit() is true but int() refuses it), and a size that fits the
        # item column (int64): a findings list has at most a few hundred items per section
        item = int(v["item"]) if re.fullmatch(r"[0-9]{1,6}", v["item"]) and int(v["item"]) > 0 else None
        if item is None:
            here.append(Problem(file, row.line, "item", f"'{v['item'][:40]}' is not a whole number from 1 to 999999 (digits 0-9 only)"))
        dims = [d for d in v["dimensions"].split(";") if d] if v["dimensions"] else []
        unknown = [d for d in dims if d not in dimension_ids]
        if unknown:
            here.append(Problem(file, row.line, "dimensions", f"unknown dimension id(s) {', '.join(unknown)}; expected ids from the codebook: {', '.join(dimension_ids)}"))
        if not v["text"]:
            here.append(Problem(file, row.line, "text", "empty text"))
        if item is not None:
            key = (v["section"], item)
            if key in seen:
                here.append(Problem(file, row.line, "item", f"duplicate item {item} in section {v['section']} (first at line {seen[key]})"))
            seen.setdefault(key, row.line)
        problems += here
        if not here:
            out.append({"section": v["section"], "item": item, "tags_as_printed": v["tags_as_printed"] or None,
                        "dimensions": ";".join(dims) or None, "text": v["text"]})
    return out, problems


def read_bip_statistics(path: str | Path) -> tuple[list[dict], list[Problem]]:
    content, problems = read_csv(path, BIP_COLUMNS, str(path))
    if problems:
        return [], problems
    return validate_bip_statistics(content.rows, str(path))


def read_findings(path: str | Path, dimension_ids: list[str]) -> tuple[list[dict], list[Problem]]:
    content, problems = read_csv(path, FINDINGS_COLUMNS, str(path))
    if problems:
        return [], problems
    return validate_findings(content.rows, dimension_ids, str(path))
