"""The clarification queue: answers a national researcher should confirm or correct.

NIEM's answers went through clarification loops with the national researchers before scoring.
This module finds the soft issues that start such a loop. They never stop a run (hard errors
do: see niem/evidence.py); each becomes one row of the queue, with the answer, its source and note,
and the file and line to edit. docs/validation.md explains every issue code.
"""

from __future__ import annotations

import re

from ..inputs.codebook import Codebook, Indicator
from ..inputs.evidence import Answer

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


def summary_rows(items: list[dict], countries: list[str], rounds: list[str]) -> list[dict]:
    """Item counts for every country x round x issue code (zeros included, so a clean file shows)."""
    counts: dict[tuple, int] = {}
    for it in items:
        key = (it["country"], it["round"], it["issue_code"])
        counts[key] = counts.get(key, 0) + 1
    return [{"country": c, "round": r, "issue_code": code, "n_items": counts.get((c, r, code), 0)}
            for c in countries for r in rounds for code in ISSUE_CODES]
