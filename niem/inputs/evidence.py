"""Validation of raw evidence files: one per round and country, one row per indicator answer."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..core.csvio import Row, parse_number, read_csv, too_large
from ..core.errors import Problem, raise_if
from .codebook import NO_DATA, NOT_APPLICABLE, SPECIAL_ANSWERS, Codebook, Indicator

EVIDENCE_COLUMNS = ["indicator_id", "answer", "source", "note"]
STATUS_OF_SPECIAL = {NO_DATA: "no_data", NOT_APPLICABLE: "not_applicable"}


@dataclass(frozen=True)
class Answer:
    indicator_id: str
    status: str  # answered | no_data | not_applicable
    answer: str
    value: float | None
    source: str
    note: str
    line: int


def did_you_mean(value: str, choices: list[str]) -> str:
    """' (did you mean 'x'? ...)' for a close match, else ''; nothing is ever corrected automatically."""
    folded = {c.lower(): c for c in choices}
    close = [folded[value.lower()]] if value.lower() in folded else difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean '{close[0]}'? nothing is corrected automatically)" if close else ""


def _answer_problem(ind: Indicator, answer: str) -> tuple[str | None, float | None]:
    """(error message or None, numeric value)."""
    if ind.numeric:
        value = parse_number(answer)
        if value is None and too_large(answer):
            return (f"'{answer[:20]}...' ({len(answer)} characters) is too large a number to compute with; "
                    f"{ind.id} expects a number ({ind.unit}) of at least {ind.minimum:g}"), None
        if value is None:
            hint = (" (write numbers with '.' as the decimal separator and no thousands separator)"
                    if parse_number(answer.replace(",", ".")) is not None else did_you_mean(answer, list(SPECIAL_ANSWERS)))
            return f"'{answer}' is not a number{hint}; {ind.id} expects a number ({ind.unit}), or '{NO_DATA}' / '{NOT_APPLICABLE}'", None
        hi = "" if ind.maximum is None else f" and at most {ind.maximum:g}"
        if value < ind.minimum or (ind.maximum is not None and value > ind.maximum):
            return f"{answer} is out of range for {ind.id}; expected a number ({ind.unit}) of at least {ind.minimum:g}{hi}", None
        return None, value
    if answer not in ind.option_values():
        choices = ind.option_values() + list(SPECIAL_ANSWERS)
        return f"'{answer}' is not an answer option of {ind.id}{did_you_mean(answer, choices)}; expected one of: {', '.join(choices)}", None
    return None, None


def validate_evidence(rows: tuple[Row, ...], codebook: Codebook, round_id: str, file: str) -> tuple[list[Answer], list[Problem]]:
    by_id = codebook.by_id
    problems: list[Problem] = []
    answers: list[Answer] = []
    first_line: dict[str, int] = {}
    for row in rows:
        v = {k: (val or "").strip() for k, val in row.values.items()}
        ind_id = v["indicator_id"]

        def bad(field: str, message: str) -> None:
            problems.append(Problem(file, row.line, field, message))

        # ids and answers are compared exactly: surrounding spaces (also no-break spaces, tabs)
        # are refused, not removed (source and note are free text: their outer spaces are dropped)
        padded = [f for f in ("indicator_id", "answer") if (row.values.get(f) or "") != v[f]]
        for field in padded:
            bad(field, f"{row.values[field]!r} has spaces (or no-break spaces, tabs) before or after it; "
                       f"remove them (nothing is corrected automatically)")
        if padded:
            continue
        if not ind_id:
            bad("indicator_id", "empty indicator id")
            continue
        ind = by_id.get(ind_id)
        if ind is None:
            bad("indicator_id", f"unknown indicator id '{ind_id}'; not in the codebook{did_you_mean(ind_id, list(by_id))}")
            continue
        if not ind.asked_in(round_id):
            when = f"asked from {ind.introduced}" + (f" to {ind.retired_after}" if ind.retired_after else "")
            bad("indicator_id", f"indicator {ind_id} is not asked in round {round_id} ({when})")
            continue
        if ind_id in first_line:
            bad("indicator_id", f"duplicate row for indicator {ind_id} (first given at line {first_line[ind_id]})")
            continue
        first_line[ind_id] = row.line
        answer = v["answer"]
        if not answer:
            bad("answer", f"empty answer for {ind_id}; write '{NO_DATA}' when the information could not be obtained or '{NOT_APPLICABLE}' when the question does not apply")
            continue
        if answer in SPECIAL_ANSWERS:
            answers.append(Answer(ind_id, STATUS_OF_SPECIAL[answer], answer, None, v["source"], v["note"], row.line))
            continue
        message, value = _answer_problem(ind, answer)
        if message:
            bad("answer", message)
            continue
        answers.append(Answer(ind_id, "answered", answer, value, v["source"], v["note"], row.line))
    return answers, problems


def read_evidence(path: str | Path, codebook: Codebook, round_id: str, display: str | None = None) -> tuple[tuple[str, ...], list[Answer], list[Problem]]:
    """Read and validate one evidence file; returns (comment lines, answers, problems)."""
    file = display or str(path)
    content, problems = read_csv(path, EVIDENCE_COLUMNS, file)
    answers, row_problems = validate_evidence(content.rows, codebook, round_id, file)  # also rows beside broken ones
    return content.comments, answers, problems + row_problems


def load_evidence(path: str | Path, codebook: Codebook, round_id: str, display: str | None = None) -> list[Answer]:
    _, answers, problems = read_evidence(path, codebook, round_id, display)
    raise_if(problems)
    return answers
