"""Questionnaire workbooks: one per country and round, written from the codebook; read back into
evidence rows that niem/inputs/evidence.py validates exactly as it validates a CSV file."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.csvio import Row
from ..inputs.codebook import NO_DATA, NOT_APPLICABLE, SPECIAL_ANSWERS, Codebook, Indicator
from ..inputs.evidence import Answer, validate_evidence
from .workbook import (INPUT_FILL, PREVIOUS_FILL, SECTION_FILL, UNLOCKED, WRAP, CellProblem, Column, cell_text,
                       column_label, fit_row_height, layout_problems, list_validation, open_workbook, print_setup, protect, sheet_problems,
                       write_header, write_meta)

SHEET = "Questionnaire"
GUIDE = "Guide"
SHEETS = [SHEET, GUIDE]
HEADER_ROW = 5


def columns(previous_round: str | None) -> list[Column]:
    prev = previous_round or "previous round"
    return [
        Column("indicator_id", "id", 10), Column("question", "question", 60), Column("answer_type", "answer type", 28),
        Column("unit", "unit", 12), Column("range", "allowed range", 16),
        Column("answer", "answer", 22, True), Column("source", "source", 40, True), Column("note", "note", 40, True),
        Column("previous_answer", f"answer {prev}", 18), Column("previous_source", f"source {prev}", 30),
        Column("previous_note", f"note {prev}", 30),
    ]


def answer_type(ind: Indicator) -> str:
    if ind.numeric:
        return "number"
    return "choice: " + " / ".join(ind.option_values())


def allowed_range(ind: Indicator) -> str:
    if not ind.numeric:
        return ""
    return f"{ind.minimum:g} or more" if ind.maximum is None else f"{ind.minimum:g} to {ind.maximum:g}"


def section_title(codebook: Codebook, ind: Indicator) -> str:
    dim = next(d for d in codebook.dimensions if d["id"] == ind.dimension)
    area = next(a["name"] for a in codebook.areas if a["id"] == dim["area"])
    step = next(s["name"] for s in codebook.steps if s["id"] == ind.step) if ind.step else f"{ind.kind} indicators"
    return f"{area} > {dim['name']} > {step}"


def layout(codebook: Codebook, round_id: str) -> list[tuple[str, str | Indicator]]:
    """The data rows in order: ('section', title) or ('indicator', Indicator)."""
    out: list[tuple[str, str | Indicator]] = []
    last = None
    for ind in codebook.in_round(round_id):
        title = section_title(codebook, ind)
        if title != last:
            out.append(("section", title))
            last = title
        out.append(("indicator", ind))
    return out


def number_validation(ind: Indicator, cell: str) -> DataValidation:
    """A number in the codebook's range, or one of the two special answers."""
    bounds = [f"{cell}>={ind.minimum:g}"] + ([f"{cell}<={ind.maximum:g}"] if ind.maximum is not None else [])
    formula = f'OR(AND(ISNUMBER({cell}),{",".join(bounds)}),{cell}="{NO_DATA}",{cell}="{NOT_APPLICABLE}")'
    return DataValidation(type="custom", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorTitle="Not a valid answer",
                          error=f"Type a number ({ind.unit}, {allowed_range(ind)}), or '{NO_DATA}' or '{NOT_APPLICABLE}'.",
                          promptTitle="Answer", prompt=f"A number ({ind.unit}, {allowed_range(ind)}), or '{NO_DATA}' / '{NOT_APPLICABLE}'.")


def build_questionnaire(codebook: Codebook, country: str, country_name: str, round_id: str, round_label: str,
                        previous_round: str | None, previous: dict[str, Answer], prefill: bool, guide_lines: list[tuple[str, str]]):
    """The questionnaire workbook (openpyxl) of one country and round."""
    cols = columns(previous_round)
    keys = [c.key for c in cols]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_meta(ws, f"NIEM questionnaire: {country_name} ({country}), round {round_id} ({round_label})",
               {"country": country, "round": round_id})
    ws.cell(row=4, column=1, value=("Fill the yellow columns (answer, source, note); everything else is locked. "
                                     f"See the '{GUIDE}' sheet. Codebook {codebook.version}.")).font = Font(italic=True)
    write_header(ws, HEADER_ROW, cols)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=keys.index("answer") + 1)
    lists: dict[str, DataValidation] = {}
    row = HEADER_ROW
    for what, item in layout(codebook, round_id):
        row += 1
        if what == "section":
            cell = ws.cell(row=row, column=keys.index("question") + 1, value=item)
            cell.font = Font(bold=True)
            for i in range(1, len(cols) + 1):
                ws.cell(row=row, column=i).fill = SECTION_FILL
            continue
        ind: Indicator = item
        before = previous.get(ind.id)
        values = {"indicator_id": ind.id, "question": ind.question, "answer_type": answer_type(ind),
                  "unit": ind.unit or "", "range": allowed_range(ind),
                  "previous_answer": before.answer if before else "", "previous_source": before.source if before else "",
                  "previous_note": before.note if before else ""}
        if prefill and before:
            values.update(answer=before.value if ind.numeric and before.value is not None else before.answer,
                          source=before.source, note=before.note)
        ws.row_dimensions[row].outlineLevel = 1
        for i, col in enumerate(cols, start=1):
            value = values.get(col.key)
            cell = ws.cell(row=row, column=i, value=value if value != "" else None)
            cell.alignment = WRAP
            if col.input:
                cell.protection, cell.fill = UNLOCKED, INPUT_FILL
            elif col.key.startswith("previous_"):
                cell.fill = PREVIOUS_FILL
        fit_row_height(ws, row, cols)
        answer_cell = ws.cell(row=row, column=keys.index("answer") + 1).coordinate
        if ind.numeric:
            dv = number_validation(ind, answer_cell)
            ws.add_data_validation(dv)
            dv.add(answer_cell)
        else:
            if ind.scale not in lists:
                lists[ind.scale] = list_validation(ind.option_values() + list(SPECIAL_ANSWERS), "Choose an answer from the list.")
                ws.add_data_validation(lists[ind.scale])
            lists[ind.scale].add(answer_cell)
    ws.sheet_properties.outlinePr.summaryBelow = False
    print_setup(ws, HEADER_ROW)
    protect(ws)
    guide = wb.create_sheet(GUIDE)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 100
    for r, (term, text) in enumerate(guide_lines, start=1):
        guide.cell(row=r, column=1, value=term or None).font = Font(bold=True)
        guide.cell(row=r, column=2, value=text or None).alignment = WRAP
    protect(guide)
    return wb


def guide_lines(codebook: Codebook, round_id: str, previous_round: str | None) -> list[tuple[str, str]]:
    """The Guide sheet in plain words: how to fill, what each answer code means, how answers are scored."""
    asked = codebook.in_round(round_id)
    lines = [
        ("How to fill in", ""),
        ("", "One row per question. Fill three columns: 'answer' (choose from the list, or type a number), "
             "'source' (the law, policy document, statistics or authority the answer rests on) and 'note' "
             "(anything the reader should know, and why the answer changed since the previous round)."),
        ("", f"If the information could not be obtained, answer '{NO_DATA}' and say why in the note. If the question "
             f"does not apply to your country, answer '{NOT_APPLICABLE}'. Leave a row empty only if you have not "
             "answered it yet: it then counts as unanswered."),
        ("", "Numbers: type the number itself (use the unit in the 'unit' column), without thousands separators or "
             "formulas. Do not add, move, rename or delete rows, columns or sheets; the import checks the layout."),
    ]
    if previous_round:
        lines.append(("", f"The grey columns show what was answered for round {previous_round}. They are for reference "
                          "only; if nothing changed, give the same answer again (with its source)."))
    lines.append(("", ""))
    lines.append(("Answer codes", ""))
    seen = set()
    for ind in asked:
        if ind.numeric or ind.scale in seen:
            continue
        seen.add(ind.scale)
        for o in ind.options:
            points = "" if o.points is None else f" ({o.points:g} points when scored)"
            lines.append((o.value, f"{o.label}{points}"))
    lines += [(NO_DATA, "The information could not be obtained. Not scored: the indicator is left out of its step score."),
              (NOT_APPLICABLE, "The question does not apply. Left out of the score and of the count of questions."),
              ("", ""), ("How answers are scored", ""),
              ("", "Each scored question gives 0 to 100 points: a choice gets the points shown above; a number gets points "
                   "on a straight line between the worst value (0 points) and the best value (100 points) set in the "
                   "codebook. Statistical and descriptive questions are collected but not scored."),
              ("", "A step score (for example Housing / legal framework) is the average of its questions' points, if "
                   "enough of them have an answer (the share is set in the project's configuration). A dimension score averages its steps; area and overall scores "
                   "average the dimensions. The exact rules are in config/README.md of the project."),
              ("", ""), ("After you send it", ""),
              ("", "The coordinator imports the workbook; any problem is reported with the sheet, row and column to "
                   "fix. Answers that need a second look come back in a clarification workbook.")]
    return lines


def read_questionnaire(path: str | Path, codebook: Codebook, countries: list[str], rounds: list[str],
                       previous_round_of: dict[str, str | None]) -> tuple[str | None, str | None, list[Answer], int, list[CellProblem]]:
    """(country, round, validated answers, rows left empty, problems) of a returned questionnaire.

    Answers are validated by niem.inputs.evidence.validate_evidence, so the messages are the CSV
    path's; a problem's row is the workbook row. The file name, if it is ``{CODE}.xlsx`` inside a
    folder named after a round, must agree with the workbook's own country and round."""
    path = Path(path)
    wb, problems = open_workbook(path, str(path))
    if wb is None:
        return None, None, [], 0, problems
    problems = sheet_problems(wb, SHEETS)
    if SHEET not in wb.sheetnames:
        return None, None, [], 0, problems
    ws = wb[SHEET]
    country, round_id, meta_problems = workbook_identity(ws, countries, rounds, path)
    problems += meta_problems
    if meta_problems:
        return country, round_id, [], 0, problems
    cols = columns(previous_round_of.get(round_id))
    layout_found = layout_problems(ws, HEADER_ROW, cols)
    problems += layout_found
    if layout_found:
        return country, round_id, [], 0, problems
    keys = [c.key for c in cols]
    label = {k: column_label(cols, k) for k in keys}
    expected = layout(codebook, round_id)
    sections = {item for what, item in expected if what == "section"}
    rows: list[Row] = []
    empty = 0
    seen_ids: dict[str, int] = {}
    expected_ids = {item.id for what, item in expected if what == "indicator"}
    anomalous: set[int] = set()  # rows with a problem of their own: a missing row next to one is not reported again
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        values = {}
        bad = False
        ind = codebook.by_id.get(str(ws.cell(row=r, column=keys.index("indicator_id") + 1).value or "").strip())
        for k in ("indicator_id", "answer", "source", "note", "question"):
            text, problem = cell_text(ws.cell(row=r, column=keys.index(k) + 1), SHEET, label[k],
                                      numeric=k == "answer" and ind is not None and ind.numeric)
            if problem:
                problems.append(problem)
                bad = True
            values[k] = text
        if values["indicator_id"] in expected_ids:
            seen_ids.setdefault(values["indicator_id"], r)
        elif values["indicator_id"] or bad:
            anomalous.add(r)
        if bad:
            continue
        inputs = [values["answer"], values["source"], values["note"]]
        if not values["indicator_id"]:
            if values["question"] in sections and not any(inputs):
                continue  # a section heading
            if any(inputs) or values["question"]:
                anomalous.add(r)
                problems.append(CellProblem(SHEET, r, label["indicator_id"], "missing id: this row has no indicator id "
                                            "(was it deleted or overwritten?); restore the id, or remove the row's answer"))
            continue
        if not any(inputs):
            empty += 1
            continue
        rows.append(Row(r, {k: values[k] for k in ("indicator_id", "answer", "source", "note")}))
    answers, row_problems = validate_evidence(tuple(rows), codebook, round_id, str(path))
    problems += [CellProblem(SHEET, p.line, label.get(p.field or "", p.field), p.message.replace("given at line", "given at row"))
                 for p in row_problems]
    # ids that must be there: a deleted row would otherwise pass as an unanswered question
    previous_row = HEADER_ROW
    order = [item.id for what, item in expected if what == "indicator"]
    for i, ind_id in enumerate(order):
        if ind_id in seen_ids:
            previous_row = seen_ids[ind_id]
            continue
        next_row = next((seen_ids[j] for j in order[i + 1:] if j in seen_ids), ws.max_row + 1)
        if any(previous_row < r < next_row for r in anomalous):
            continue  # the row is there, with its own problem (id overwritten, unknown, or a bad cell)
        item = codebook.by_id[ind_id]
        problems.append(CellProblem(SHEET, previous_row + 1, label["indicator_id"],
                                    f"the row of indicator {item.id} is missing (expected after row {previous_row}); "
                                    "do not delete rows: leave a question you cannot answer empty or answer 'no data'"))
    return country, round_id, answers, empty, problems


def workbook_identity(ws, countries: list[str], rounds: list[str], path: Path) -> tuple[str | None, str | None, list[CellProblem]]:
    """The country and round written in the workbook, checked against the configuration and the file's name."""
    problems = []
    country = str(ws.cell(row=2, column=2).value or "").strip()
    round_id = str(ws.cell(row=3, column=2).value or "").strip()
    if country not in countries:
        problems.append(CellProblem(ws.title, 2, "B (country)", f"country '{country}' is not configured (countries: {', '.join(countries)})"))
    if round_id not in rounds:
        problems.append(CellProblem(ws.title, 3, "B (round)", f"round '{round_id}' is not configured (rounds: {', '.join(rounds)})"))
    if path.stem in countries and country in countries and path.stem != country:
        problems.append(CellProblem(ws.title, 2, "B (country)", f"this is the workbook of country {country}, but the file is "
                                    f"named {path.name}; import the workbook of the country you mean"))
    if path.parent.name in rounds and round_id in rounds and path.parent.name != round_id:
        problems.append(CellProblem(ws.title, 3, "B (round)", f"this is the workbook of round {round_id}, but it is in the "
                                    f"folder of round {path.parent.name}; import the workbook of the round you mean"))
    return country or None, round_id or None, problems


def fill_questionnaire(wb, answers: list[Answer], codebook: Codebook) -> None:
    """Type ``answers`` into a questionnaire workbook as a researcher would (numbers as numbers);
    used by the tests and the benchmark's simulated round."""
    ws = wb[SHEET]
    keys = [c.key for c in columns(None)]
    by_id = {a.indicator_id: a for a in answers}
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        a = by_id.get(ws.cell(row=r, column=1).value)
        if a is None:
            continue
        numeric = codebook.by_id[a.indicator_id].numeric and a.value is not None
        for key, value in (("answer", a.value if numeric else a.answer), ("source", a.source), ("note", a.note)):
            ws.cell(row=r, column=keys.index(key) + 1).value = value if value != "" else None
