"""Imported answers -> the text of raw/evidence/{round}/{country}.csv, and what changed.

The file is written so that a version-control diff shows only real changes: rows in codebook
order (the order of every shipped file), the existing file's comment lines kept, and an unchanged
number kept as the file wrote it ('34.0' stays '34.0' when the workbook says 34)."""

from __future__ import annotations

import csv
import io

from ..inputs.codebook import Codebook
from ..inputs.evidence import EVIDENCE_COLUMNS, Answer


def new_file_comments(country: str, round_id: str) -> tuple[str, ...]:
    return (f"# Evidence of country {country}, round {round_id}: imported from questionnaires/{round_id}/{country}.xlsx "
            "(python -m niem.collect import; docs/collection.md).",)


def _same(a: Answer, b: Answer) -> bool:
    same_answer = a.answer == b.answer or (a.value is not None and a.value == b.value)
    return same_answer and a.source == b.source and a.note == b.note


def evidence_text(answers: list[Answer], codebook: Codebook, round_id: str, comments: tuple[str, ...],
                  existing: list[Answer] | None = None) -> str:
    """CSV text of the answers; an answer equal in value to the existing file's keeps its text."""
    order = {ind.id: i for i, ind in enumerate(codebook.in_round(round_id))}
    before = {a.indicator_id: a for a in existing or []}
    out = io.StringIO()
    for line in comments:
        out.write(line + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EVIDENCE_COLUMNS)
    for a in sorted(answers, key=lambda a: order[a.indicator_id]):
        old = before.get(a.indicator_id)
        text = old.answer if old is not None and _same(a, old) else a.answer
        writer.writerow([a.indicator_id, text, a.source, a.note])
    return out.getvalue()


def changes(before: list[Answer], after: list[Answer]) -> dict[str, list[str]]:
    """Indicator ids whose answer was added, changed (answer, source or note) or removed."""
    old = {a.indicator_id: a for a in before}
    new = {a.indicator_id: a for a in after}
    return {"added": [i for i in new if i not in old],
            "changed": [i for i in new if i in old and not _same(new[i], old[i])],
            "removed": [i for i in old if i not in new]}


def change_summary(diff: dict[str, list[str]], before: list[Answer], after: list[Answer]) -> str:
    old = {a.indicator_id: a for a in before}
    new = {a.indicator_id: a for a in after}
    lines = [f"{len(diff['added'])} answers added, {len(diff['changed'])} changed, {len(diff['removed'])} removed"]
    for i in diff["added"]:
        lines.append(f"  added   {i}: '{new[i].answer}'")
    for i in diff["changed"]:
        what = [f"answer '{old[i].answer}' -> '{new[i].answer}'"] if not (old[i].answer == new[i].answer or
                                                                         (old[i].value is not None and old[i].value == new[i].value)) else []
        what += [f"{k} changed" for k in ("source", "note") if getattr(old[i], k) != getattr(new[i], k)]
        lines.append(f"  changed {i}: {', '.join(what)}")
    for i in diff["removed"]:
        lines.append(f"  removed {i}: was '{old[i].answer}'")
    return "\n".join(lines)
