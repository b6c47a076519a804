"""Clarification workbooks: the queue's open items of one country and round, with a response column
for the researcher; importing one applies corrections to the evidence file (validated as every
evidence file is) and adds each answered item to the resolution register
raw/clarifications/{round}/{country}.csv (niem/quality/clarification.py reads it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from ..core.csvio import Row, parse_number, read_csv
from ..core.io import write_bytes, write_text
from ..inputs.codebook import SPECIAL_ANSWERS, Codebook
from ..inputs.evidence import EVIDENCE_COLUMNS, Answer, did_you_mean, validate_evidence
from ..quality.clarification import CONFIRM, ISSUE_CODES, ISSUES, REGISTER_COLUMNS, RESOLVED, RESPONSES, read_register
from .project import Project, store_answers, workbook_time
from .questionnaire import number_validation, workbook_identity
from .workbook import (INPUT_FILL, UNLOCKED, WRAP, CellProblem, Column, WorkbookError, cell_text, column_label,
                       deterministic_bytes, fit_row_height, layout_problems, list_validation, open_workbook, print_setup, protect, sheet_problems,
                       write_header, write_meta)

SHEET = "Clarification"
GUIDE = "Guide"
SHEETS = [SHEET, GUIDE]
HEADER_ROW = 5
CORRECTED, SOURCE_ADDED, NOTE_ADDED = RESPONSES[1:]
COLUMNS = [
    Column("indicator_id", "id", 10), Column("issue_code", "issue code", 20), Column("question", "question", 45),
    Column("issue", "what to check", 55), Column("answer", "answer now", 16), Column("source", "source now", 28),
    Column("note", "note now", 28), Column("previous_answer", "previous answer", 16), Column("status", "status", 10),
    Column("response", "response", 22, True), Column("corrected_answer", "corrected answer", 18, True),
    Column("new_source", "source (new)", 30, True), Column("new_note", "note (new)", 30, True),
    Column("by", "your name", 18, True),
]
KEYS = [c.key for c in COLUMNS]


def queue_items(queue: str | Path, country: str, round_id: str) -> list[dict]:
    """The items of the queue file for one country and round that are not resolved."""
    table = pd.read_parquet(queue)
    rows = table[(table["country"] == country) & (table["round"] == round_id) & (table["status"] != RESOLVED)]
    return rows.sort_values(["line", "issue_code"], kind="stable").to_dict("records")


def build_clarification(codebook: Codebook, country: str, country_name: str, round_id: str, items: list[dict]):
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_meta(ws, f"Clarification: {country_name} ({country}), round {round_id}", {"country": country, "round": round_id})
    ws.cell(row=4, column=1, value=(f"{len(items)} answers need a second look. For each row choose a response and fill "
                                    "the yellow columns; see the 'Guide' sheet.")).font = Font(italic=True)
    write_header(ws, HEADER_ROW, COLUMNS)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=KEYS.index("response") + 1)
    responses = list_validation(list(RESPONSES), "How do you answer this item?")
    ws.add_data_validation(responses)
    lists = {}
    for r, it in enumerate(items, start=HEADER_ROW + 1):
        for i, col in enumerate(COLUMNS, start=1):
            value = it.get(col.key)
            cell = ws.cell(row=r, column=i, value=None if value in ("", None) or pd.isna(value) else value)
            cell.alignment = WRAP
            if col.input:
                cell.protection, cell.fill = UNLOCKED, INPUT_FILL
        fit_row_height(ws, r, COLUMNS)
        responses.add(ws.cell(row=r, column=KEYS.index("response") + 1).coordinate)
        ind = codebook.by_id[it["indicator_id"]]
        target = ws.cell(row=r, column=KEYS.index("corrected_answer") + 1).coordinate
        if ind.numeric:
            dv = number_validation(ind, target)
            ws.add_data_validation(dv)
        else:
            if ind.scale not in lists:
                lists[ind.scale] = list_validation(ind.option_values() + list(SPECIAL_ANSWERS), "The corrected answer.")
                ws.add_data_validation(lists[ind.scale])
            dv = lists[ind.scale]
        dv.add(target)
    print_setup(ws, HEADER_ROW)
    protect(ws)
    guide = wb.create_sheet(GUIDE)
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 100
    lines = [("Responses", ""),
             (CONFIRM, "The answer is right as it is. It is recorded as confirmed and will not be asked again, unless "
                       "the answer changes later. 'note (new)' may say why; it is kept with the confirmation, the "
                       "answer's own source and note stay as they are."),
             (CORRECTED, "The answer was wrong: type the right one in 'corrected answer' (and its source and note)."),
             (SOURCE_ADDED, "Type the missing source in 'source (new)'."),
             (NOTE_ADDED, "Type the missing explanation in 'note (new)'."),
             ("your name", "Needed for every row you answer. Rows without a response stay open."),
             ("", ""), ("Issue codes", "")] + [(code, text) for code, text in ISSUES.items()]
    for r, (term, text) in enumerate(lines, start=1):
        guide.cell(row=r, column=1, value=term or None).font = Font(bold=True)
        guide.cell(row=r, column=2, value=text or None).alignment = WRAP
    protect(guide)
    return wb


def write_clarification(project: Project, queue: str | Path, country: str, round_id: str, out: str | Path) -> int:
    items = queue_items(queue, country, round_id)
    wb = build_clarification(project.codebook, country, project.names[country], round_id, items)
    write_bytes(out, deterministic_bytes(wb, workbook_time(project.round(round_id)["reference_date"])))
    return len(items)


def read_responses(path: Path, project: Project) -> tuple[str | None, str | None, list[dict], list[CellProblem]]:
    """(country, round, answered rows, problems) of a returned clarification workbook."""
    wb, problems = open_workbook(path, str(path))
    if wb is None:
        return None, None, [], problems
    problems = sheet_problems(wb, SHEETS)
    if SHEET not in wb.sheetnames:
        return None, None, [], problems
    ws = wb[SHEET]
    country, round_id, meta = workbook_identity(ws, project.countries, project.rounds, path)
    problems += meta + (layout_problems(ws, HEADER_ROW, COLUMNS) if not meta else [])
    if problems:
        return country, round_id, [], problems
    label = {k: column_label(COLUMNS, k) for k in KEYS}
    out = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        v, bad = {}, False
        ind = project.codebook.by_id.get(str(ws.cell(row=r, column=1).value or "").strip())
        for k in KEYS:
            text, problem = cell_text(ws.cell(row=r, column=KEYS.index(k) + 1), SHEET, label[k],
                                      numeric=k in ("corrected_answer", "answer") and ind is not None and ind.numeric)
            if problem:
                problems.append(problem)
                bad = True
            v[k] = text
        inputs = [v[k] for k in ("response", "corrected_answer", "new_source", "new_note", "by")]
        if bad or not any(inputs):
            continue

        def wrong(key: str, message: str) -> None:
            problems.append(CellProblem(SHEET, r, label[key], message))

        if not v["indicator_id"]:
            wrong("indicator_id", "missing id: this row has no indicator id; do not overwrite the locked columns")
        elif ind is None:
            wrong("indicator_id", f"unknown indicator id '{v['indicator_id']}'")
        if v["issue_code"] not in ISSUE_CODES:
            wrong("issue_code", f"unknown issue code '{v['issue_code']}'; do not overwrite the locked columns")
        if v["response"] not in RESPONSES:
            what = "no response chosen" if not v["response"] else f"'{v['response']}' is not a response{did_you_mean(v['response'], list(RESPONSES))}"
            wrong("response", f"{what}; choose one of: {', '.join(RESPONSES)}")
        elif v["response"] == CORRECTED and not v["corrected_answer"]:
            wrong("corrected_answer", f"'{CORRECTED}' but no corrected answer")
        elif v["response"] != CORRECTED and v["corrected_answer"]:
            wrong("corrected_answer", f"a corrected answer with the response '{v['response']}'; choose '{CORRECTED}' to change the answer")
        elif v["response"] == SOURCE_ADDED and not v["new_source"]:
            wrong("new_source", f"'{SOURCE_ADDED}' but no source")
        elif v["response"] == NOTE_ADDED and not v["new_note"]:
            wrong("new_note", f"'{NOTE_ADDED}' but no note")
        if not v["by"]:
            wrong("by", "your name is needed for every row you answer")
        out.append({**v, "row": r})
    return country, round_id, out, problems


def apply_responses(project: Project, path: Path, country: str, round_id: str, responses: list[dict]
                    ) -> tuple[list[Answer], list[dict], list[CellProblem]]:
    """(the evidence file's answers with the corrections, register rows, problems)."""
    evidence = project.evidence_path(round_id, country)
    content, file_problems = read_csv(evidence, EVIDENCE_COLUMNS, str(evidence))
    current, more = validate_evidence(content.rows, project.codebook, round_id, str(evidence))
    if file_problems or more:
        return [], [], [CellProblem("", None, None, f"{evidence} is invalid; fix it first:\n    " +
                                    "\n    ".join(f"{p.location()}: {p.message}" for p in file_problems + more))]
    by_id = {a.indicator_id: a for a in current}
    label = {k: column_label(COLUMNS, k) for k in KEYS}
    problems: list[CellProblem] = []
    updates: dict[str, tuple[int, dict]] = {}
    for resp in responses:
        now = by_id.get(resp["indicator_id"])
        if now is None:
            problems.append(CellProblem(SHEET, resp["row"], label["indicator_id"], f"{evidence} has no answer for "
                                        f"{resp['indicator_id']}; get a new clarification workbook"))
            continue
        if now.answer != resp["answer"] and (now.value is None or parse_number(resp["answer"]) != now.value):
            problems.append(CellProblem(SHEET, resp["row"], label["answer"], f"the evidence file now answers "
                                        f"'{now.answer}', not '{resp['answer']}' (it changed after this workbook was "
                                        "written); get a new clarification workbook"))
            continue
        values = dict(updates[now.indicator_id][1]) if now.indicator_id in updates else \
            {"indicator_id": now.indicator_id, "answer": now.answer, "source": now.source, "note": now.note}
        for key, new in (("answer", resp["corrected_answer"]), ("source", resp["new_source"]), ("note", resp["new_note"])):
            if new and resp["response"] != CONFIRM:  # a confirmation's note goes to the register only
                if now.indicator_id in updates and values[key] not in (new, getattr(now, key)):
                    problems.append(CellProblem(SHEET, resp["row"], label["corrected_answer" if key == "answer" else f"new_{key}"],
                                                f"row {updates[now.indicator_id][0]} gives {now.indicator_id} a different {key}"))
                values[key] = new
        updates[now.indicator_id] = (resp["row"], values)
    changed = [Row(row, values) for row, values in updates.values()]
    fixed, row_problems = validate_evidence(tuple(changed), project.codebook, round_id, str(path))
    field_column = {"answer": "corrected_answer", "source": "new_source", "note": "new_note", "indicator_id": "indicator_id"}
    problems += [CellProblem(SHEET, p.line, label[field_column.get(p.field or "", "corrected_answer")], p.message) for p in row_problems]
    new_by_id = {a.indicator_id: a for a in fixed}
    answers = [new_by_id.get(a.indicator_id, a) for a in current]
    date = dt.datetime.now(dt.timezone.utc).date().isoformat()
    register = [{"indicator_id": r["indicator_id"], "issue_code": r["issue_code"], "response": r["response"],
                 "answer": (new_by_id.get(r["indicator_id"]) or by_id[r["indicator_id"]]).answer, "by": r["by"], "date": date,
                 "text": r["new_note"] or r["new_source"] or r["corrected_answer"]}
                for r in responses if r["indicator_id"] in by_id]
    return answers, register, problems


def register_path(project: Project, round_id: str, country: str) -> Path:
    return project.root / project.config["raw_dir"] / "clarifications" / round_id / f"{country}.csv"


def register_text(existing: list[dict], new: list[dict]) -> str:
    out = io.StringIO()
    out.write("# Resolution register (python -m niem.collect import-clarification; docs/collection.md).\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    for row in existing + new:
        writer.writerow([row[k] for k in REGISTER_COLUMNS])
    return out.getvalue()


def import_clarification(project: Project, path: str | Path) -> str:
    """Validate a returned clarification workbook, then write the corrected evidence file and the
    register (nothing is written when anything is wrong)."""
    path = Path(path)
    country, round_id, responses, problems = read_responses(path, project)
    if problems:
        raise WorkbookError(str(path), problems)
    answers, new_rows, problems = apply_responses(project, path, country, round_id, responses)
    reg = register_path(project, round_id, country)
    existing: list[dict] = []
    if reg.is_file():
        existing, reg_problems = read_register(reg, project.codebook, round_id)
        problems += [CellProblem("", None, None, f"{p.file}, {p.location()}: {p.message}") for p in reg_problems]
    if problems:
        raise WorkbookError(str(path), problems)
    if not responses:
        return f"{path}: no item answered; nothing written"
    result = store_answers(project, country, round_id, answers, replace=True, origin=str(path))
    write_text(reg, register_text(existing, new_rows))
    confirmed = sum(r["response"] == CONFIRM for r in new_rows)
    return f"{result.message}\n{reg}: {len(new_rows)} responses recorded ({confirmed} confirmed as is)"
