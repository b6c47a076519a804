"""The comparative report's annex on the register of published NIEM figures (issue 16).

Three lists from ``results/published_figures_check.parquet``: figures printed in a source (with the
source's address and the words or number as printed), checks this project derives from printed
statements (with the reading it chose), and printed facts this pipeline cannot recompute (with the
reason). Cells are reader's text: register codes (dimension, step and theme ids, True/False, change
classes) are written out in words.
"""

from __future__ import annotations

import re

import pandas as pd

from ..core.safety import markdown_text
from .content import Labels, is_missing, md_table

WORDS = {"True": "yes", "False": "no", "positive": "improved", "negative": "declined", "declined": "declined",
         "improved": "improved", "stable": "stable", "none": "none"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|\b(?:True|False)\b|\b[A-Z]{2}\b")


def plain(text, labels: Labels) -> str:
    """Register codes in ``text`` written out: dimension/step ids by name, country codes by name,
    other snake_case ids with spaces, True/False as yes/no."""
    if text is None or is_missing(text):
        return ""
    text = str(text)
    if text in WORDS:
        return WORDS[text]
    names = {**labels.all_dimensions, **labels.steps, **labels.countries}

    def word(m: re.Match) -> str:
        tok = m.group(0)
        if tok in names:
            return names[tok]
        if tok in ("True", "False"):
            return WORDS[tok]
        return tok.replace("_", " ") if "_" in tok else tok

    out = _TOKEN.sub(word, text)
    # single step / dimension ids without an underscore (e.g. 'legal', 'housing') as whole values
    return ", ".join(names.get(part, WORDS.get(part, part)) for part in out.split(", "))


def _agrees(value) -> str:
    return "n/a" if is_missing(value) else ("yes" if value else "**NO**")


def _source(row: dict) -> str:
    url = row.get("source_url")
    if url and not is_missing(url):
        return markdown_text(url)
    return markdown_text(row["source"])


def _printed_value(value, labels: Labels) -> str:
    """A printed number, id or list written out; a yes/no check of a printed statement has no value
    of its own (the statement is what was printed): a dash."""
    return "—" if str(value) in ("True", "False") else plain(value, labels)


def printed_table(check: pd.DataFrame, labels: Labels) -> str:
    rows = []
    for row in check[check["category"] == "published"].to_dict("records"):
        printed = row["as_printed"] if not is_missing(row["as_printed"]) else _printed_value(row["published"], labels)
        rows.append([markdown_text(plain(row["statement"], labels)), markdown_text(printed), _source(row),
                     markdown_text(plain(row["recomputed"], labels)), _agrees(row["agrees"])])
    return md_table(rows, ["Printed statement", "As printed", "Source", "Recomputed", "Agrees"],
                    ["left", "left", "left", "left", "left"])


def derived_table(check: pd.DataFrame, labels: Labels) -> str:
    rows = []
    for row in check[check["category"] == "derived"].to_dict("records"):
        rows.append([markdown_text(plain(row["statement"], labels)), markdown_text(row["reason"]), _source(row),
                     markdown_text(plain(row["recomputed"], labels)), _agrees(row["agrees"])])
    return md_table(rows, ["Derived check", "This project's reading", "Source", "Recomputed", "Agrees"],
                    ["left", "left", "left", "left", "left"])


def not_checkable_table(check: pd.DataFrame, labels: Labels) -> str:
    rows = []
    for row in check[check["category"] == "not_checkable"].to_dict("records"):
        rows.append([markdown_text(plain(row["statement"], labels)), _source(row), markdown_text(row["reason"])])
    return md_table(rows, ["Printed statement", "Source", "Why it is not checked"], ["left", "left", "left"])


def annex_context(check: pd.DataFrame, labels: Labels) -> dict:
    """The template context of workflow/report/sections/published_annex.qmd.j2."""
    def counts(category: str) -> tuple[int, int]:
        part = check[check["category"] == category]
        return int((part["agrees"] == True).sum()), int(part["agrees"].notna().sum())  # noqa: E712

    printed_agree, printed_n = counts("published")
    derived_agree, derived_n = counts("derived")
    return {"printed_table": printed_table(check, labels), "derived_table": derived_table(check, labels),
            "not_checkable_table": not_checkable_table(check, labels),
            "n_printed": printed_n, "n_printed_agree": printed_agree,
            "n_derived": derived_n, "n_derived_agree": derived_agree,
            "n_not_checkable": int((check["category"] == "not_checkable").sum())}
