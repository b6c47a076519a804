"""The clarification queue: answers a national researcher should confirm or correct.

NIEM's answers went through clarification loops with the national researchers before scoring.
This module finds the soft issues that start such a loop. They never stop a run (hard errors
do: see niem/evidence.py); each becomes one row of the queue, with the answer, its source and note,
and the file and line to edit. docs/validation.md explains every issue code.
"""

from __future__ import annotations

import re

import datetime as dt
from pathlib import Path

from ..core.csvio import read_csv
from ..core.errors import Problem, raise_if
from ..inputs.codebook import Codebook, Indicator
from ..inputs.evidence import Answer, did_you_mean

# issue code -> what it means (the plain-language text of each item adds the specifics)
ISSUES = {
    "changed_without_note": "The answer changed since the previous round and the note does not say why.",
    "no_source": "A scored answer has no source.",
    "statistical_no_source": "A statistical indicator has data but no source.",
    "no_data_after_data": "'no data' although the previous round had data.",
    "note_other_country": "The note mentions another configured country.",
    "note_other_round": "The note mentions another configured round.",
}
ISSUE_CODES = tuple(ISSUES)
OPEN = "open"
RESOLVED = "resolved"
REOPENED = "reopened"
STATUSES = (OPEN, RESOLVED, REOPENED)

# The resolution register raw/clarifications/{round}/{country}.csv: one row per answered item of a
# clarification workbook (python -m niem.collect import-clarification; docs/collection.md).
CONFIRM = "confirm as is"
RESPONSES = (CONFIRM, "corrected answer given", "source added", "note added")
REGISTER_COLUMNS = ["indicator_id", "issue_code", "response", "answer", "by", "date", "text"]
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def mention_patterns(countries: dict[str, str]) -> dict[str, re.Pattern]:
    """Per country code, a pattern for its name (any case, whole words) or its code (capitals, not
    part of a longer token: 'FR-L01' is an indicator id, not France)."""
    return {code: re.compile(rf"(?i:(?<!\w){re.escape(name)}(?!\w))|(?<![\w-]){re.escape(code)}(?![\w]|-[A-Za-z0-9])")
            for code, name in countries.items()}


def year_pattern(rounds: list[str]) -> re.Pattern:
    return re.compile(rf"(?<![0-9])({'|'.join(map(re.escape, rounds))})(?![0-9])")


def note_mentions(note: str, country: str, round_id: str, patterns: dict[str, re.Pattern],
                  years: re.Pattern) -> tuple[list[str], list[str]]:
    """(other configured country codes, other configured rounds) that a note mentions."""
    others = [code for code, pat in patterns.items() if code != country and pat.search(note)]
    rounds = sorted({m.group(1) for m in years.finditer(note)} - {round_id})
    return others, rounds


def _changed(ind: Indicator, now: Answer, before: Answer) -> bool:
    if ind.numeric and now.value is not None and before.value is not None:
        return now.value != before.value
    return now.answer != before.answer


def answer_issues(ind: Indicator, now: Answer, before: Answer | None, previous_round: str | None) -> list[tuple[str, str]]:
    """(issue code, plain-language text) for the issues of one answer that do not depend on the note's wording."""
    out = []
    had_data = before is not None and before.status == "answered"
    if (ind.kind != "statistical" and before is not None and before.status != "no_data" and now.status != "no_data"
            and not now.note and _changed(ind, now, before)):
        out.append(("changed_without_note", f"The answer changed since {previous_round} (was '{before.answer}', now "
                    f"'{now.answer}') and the note does not say why. Please confirm the new answer and add a note "
                    "explaining the change (e.g. the new law, policy or practice)."))
    if now.status == "answered" and not now.source:
        if ind.kind == "scored":
            out.append(("no_source", "This scored answer has no source. Please add the law, policy document or other "
                        "source the answer rests on."))
        elif ind.kind == "statistical":
            out.append(("statistical_no_source", "This figure has no source. Please name the statistics, publication "
                        "or authority it comes from."))
    if now.status == "no_data" and had_data:
        out.append(("no_data_after_data", f"'no data' in this round, but {previous_round} had data ('{before.answer}'). "
                    "Please check whether the information is really no longer available, and say why in the note."))
    return out


def country_items(country: str, answers: dict[str, list[Answer]], files: dict[str, str], codebook: Codebook,
                  countries: dict[str, str]) -> list[dict]:
    """All clarification items of one country, for every round given (in the order given, oldest
    first); ``countries`` maps every configured code to its name."""
    rounds = list(answers)
    patterns, years = mention_patterns(countries), year_pattern(rounds)
    by_id = codebook.by_id
    items: list[dict] = []
    for i, round_id in enumerate(rounds):
        prev_round = rounds[i - 1] if i else None
        previous = {a.indicator_id: a for a in answers[prev_round]} if prev_round else {}
        for now in sorted(answers[round_id], key=lambda a: a.line):
            ind = by_id[now.indicator_id]
            before = previous.get(now.indicator_id)
            issues = answer_issues(ind, now, before, prev_round)
            other_countries, other_rounds = note_mentions(now.note, country, round_id, patterns, years)
            if other_countries:
                names = ", ".join(f"{countries[c]} ({c})" for c in other_countries)
                issues.append(("note_other_country", f"The note mentions {names}, but this file is for "
                               f"{countries.get(country, country)}. Please check that the answer and note were not copied "
                               "from another country's questionnaire."))
            if other_rounds:
                issues.append(("note_other_round", f"The note mentions {', '.join(other_rounds)}, but this file is for "
                               f"round {round_id}. Please check that the answer describes the situation in {round_id} and "
                               "was not carried over from another round."))
            for code, text in issues:
                items.append({
                    "country": country, "round": round_id, "indicator_id": ind.id, "dimension": ind.dimension,
                    "kind": ind.kind, "question": ind.question, "issue_code": code, "issue": text,
                    "answer": now.answer, "previous_round": prev_round if before else None,
                    "previous_answer": before.answer if before else None, "source": now.source, "note": now.note,
                    "file": files[round_id], "line": now.line, "status": OPEN,
                })
    return items


def read_register(path: str | Path, codebook: Codebook, round_id: str, display: str | None = None) -> tuple[list[dict], list[Problem]]:
    """Rows of one resolution register, checked like every raw file (problems name file, line, field)."""
    file = display or str(path)
    content, problems = read_csv(path, REGISTER_COLUMNS, file)
    rows = []
    for row in content.rows:
        v = {k: (row.values[k] or "").strip() for k in REGISTER_COLUMNS}
        here = []
        ind = codebook.by_id.get(v["indicator_id"])
        if ind is None:
            here.append(("indicator_id", f"unknown indicator id '{v['indicator_id']}'{did_you_mean(v['indicator_id'], list(codebook.by_id))}"))
        elif not ind.asked_in(round_id):
            here.append(("indicator_id", f"indicator {ind.id} is not asked in round {round_id}"))
        if v["issue_code"] not in ISSUE_CODES:
            here.append(("issue_code", f"unknown issue code '{v['issue_code']}'{did_you_mean(v['issue_code'], list(ISSUE_CODES))}; "
                         f"expected one of: {', '.join(ISSUE_CODES)}"))
        if v["response"] not in RESPONSES:
            here.append(("response", f"unknown response '{v['response']}'{did_you_mean(v['response'], list(RESPONSES))}; "
                         f"expected one of: {', '.join(RESPONSES)}"))
        if not v["by"]:
            here.append(("by", "empty: the name of the researcher who answered is needed"))
        valid_date = bool(_DATE.fullmatch(v["date"]))
        if valid_date:
            try:
                dt.date.fromisoformat(v["date"])
            except ValueError:
                valid_date = False
        if not valid_date:
            here.append(("date", f"'{v['date']}' is not a date YYYY-MM-DD"))
        problems += [Problem(file, row.line, field, message) for field, message in here]
        if not here:
            rows.append({**v, "line": row.line})
    return rows, problems


def register_path(raw_dir: str | Path, country: str, round_id: str) -> str:
    """The resolution register of one country and round."""
    return f"{raw_dir}/clarifications/{round_id}/{country}.csv"


def register_key(path: str | Path) -> tuple[str, str]:
    """(country, round) of a register path raw/clarifications/{round}/{country}.csv."""
    path = Path(path)
    return path.stem, path.parent.name


def read_registers(paths: list[str | Path], codebook: Codebook) -> dict[tuple[str, str], list[dict]]:
    """The registers at ``paths`` by (country, round); a bad row stops with one problem per field
    naming file, line and field (every file is checked before anything is raised)."""
    register, problems = {}, []
    for path in paths:
        country, round_id = register_key(path)
        register[(country, round_id)], found = read_register(path, codebook, round_id)
        problems += found
    raise_if(problems)
    return register


def resolve_from_registers(items: list[dict], paths: list[str | Path], codebook: Codebook) -> list[dict]:
    """``items`` resolved against the registers at ``paths`` (the queue rule gives every register, a
    country's reports only that country's): see ``resolve``."""
    return resolve(items, read_registers(paths, codebook))


def resolve(items: list[dict], register: dict[tuple[str, str], list[dict]]) -> list[dict]:
    """Items with their status: 'resolved' when the register of their country and round holds a
    confirmation of this indicator and issue for the answer the evidence file still gives;
    'reopened' when it was confirmed for an answer that has changed since; 'open' otherwise.
    ``confirmation`` is the latest confirming register row (None when there is none)."""
    out = []
    for it in items:
        confirmed = [r for r in register.get((it["country"], it["round"]), [])
                     if r["indicator_id"] == it["indicator_id"] and r["issue_code"] == it["issue_code"] and r["response"] == CONFIRM]
        status = OPEN
        if confirmed:
            status = RESOLVED if confirmed[-1]["answer"] == it["answer"] else REOPENED
        out.append({**it, "status": status, "confirmation": confirmed[-1] if confirmed else None})
    return out


def summary_rows(items: list[dict], countries: list[str], rounds: list[str]) -> list[dict]:
    """Item counts for every country x round x issue code (zeros included, so a clean file shows):
    open items (reopened ones included) and resolved ones."""
    counts: dict[tuple, int] = {}
    for it in items:
        key = (it["country"], it["round"], it["issue_code"], it["status"] == RESOLVED)
        counts[key] = counts.get(key, 0) + 1
    return [{"country": c, "round": r, "issue_code": code, "n_items": counts.get((c, r, code, False), 0),
             "n_resolved": counts.get((c, r, code, True), 0)}
            for c in countries for r in rounds for code in ISSUE_CODES]
