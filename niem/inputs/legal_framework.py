"""Validation of the real texts transcribed from the NIEM Project Summary 2016-2022 besides the
statistics and findings: each country's "Legal framework for BIPs' integration" table
(raw/legal_framework/{country}.csv) and the Summary's "Comparative research summary &
conclusions" (raw/comparative_conclusions.csv). Conventions: raw/README.md.
"""

from __future__ import annotations

from pathlib import Path

from ..core.csvio import Row, read_csv
from ..core.errors import Problem
from .seeddata import _choice

LEGAL_COLUMNS = ["field", "item", "text", "note"]
# The table's rows as printed (programme_* where the Summary prints name, duration and support apart).
LEGAL_FIELDS = ("crucial_documents", "framework_organisation", "institutions", "programme", "programme_name",
                "programme_duration", "programme_support", "useful_links", "footnote")
CONCLUSION_COLUMNS = ["paragraph", "kind", "text", "note"]
CONCLUSION_KINDS = ("paragraph", "footnote")


def _numbered_texts(rows: tuple[Row, ...], file: str, group: str, number: str, allowed: tuple) -> tuple[list[dict], list[Problem]]:
    """Rows of (group in ``allowed``, positive whole ``number``, non-empty text, note), unique per
    (group, number) for a grouped table or per number alone when the group is a kind."""
    problems: list[Problem] = []
    out: list[dict] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        v = {k: (x or "").strip() for k, x in row.values.items()}
        here = [p for p in (_choice(v[group], allowed, group, file, row.line),) if p]
        n = int(v[number]) if v[number].isdigit() and int(v[number]) > 0 else None
        if n is None:
            here.append(Problem(file, row.line, number, f"'{v[number]}' is not a positive whole number"))
        if not v["text"]:
            here.append(Problem(file, row.line, "text", "empty text"))
        if n is not None:
            key = (v[group], n) if group == "field" else (n,)
            if key in seen:
                here.append(Problem(file, row.line, number, f"duplicate {number} {n}{' in field ' + v[group] if group == 'field' else ''} (first at line {seen[key]})"))
            seen.setdefault(key, row.line)
        problems += here
        if not here:
            out.append({group: v[group], number: n, "text": v["text"], "note": v["note"] or None})
    return out, problems


def read_legal_framework(path: str | Path) -> tuple[list[dict], list[Problem]]:
    """One country's legal-framework rows (field, item, text, note), or the problems found."""
    content, problems = read_csv(path, LEGAL_COLUMNS, str(path))
    if problems:
        return [], problems
    return _numbered_texts(content.rows, str(path), "field", "item", LEGAL_FIELDS)


def read_comparative_conclusions(path: str | Path) -> tuple[list[dict], list[Problem]]:
    """The Summary's comparative conclusions (paragraph, kind, text, note), or the problems found."""
    content, problems = read_csv(path, CONCLUSION_COLUMNS, str(path))
    if problems:
        return [], problems
    return _numbered_texts(content.rows, str(path), "kind", "paragraph", CONCLUSION_KINDS)
