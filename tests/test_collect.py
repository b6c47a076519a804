"""Questionnaire workbooks (niem/collect): layout, validations, protection, deterministic bytes, the
2021 round trip, and a catalogue of bad returned workbooks (one clear message each, raw/ untouched)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from workflow_helpers import copy_project

from niem.collect.cli import main as cli
from niem.collect.project import import_questionnaire, load_project, questionnaire_bytes
from niem.collect.questionnaire import HEADER_ROW, SHEET, columns, fill_questionnaire
from niem.collect.workbook import WorkbookError
from niem.inputs.evidence import load_evidence

COUNTRY, ROUND = "BG", "2021"


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("collect"), ["config", "raw", "workflow"])


@pytest.fixture(scope="module")
def project(project_dir):
    return load_project(root=project_dir)


def raw_checksums(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "raw").rglob("*")) if p.is_file()}


def filled(project, country=COUNTRY, round_id=ROUND):
    wb = load_workbook(io.BytesIO(questionnaire_bytes(project, country, round_id)))
    fill_questionnaire(wb, load_evidence(project.evidence_path(round_id, country), project.codebook, round_id), project.codebook)
    return wb


def row_of(ws, indicator_id):
    return next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(row=r, column=1).value == indicator_id)


def col(key, prev="2019"):
    return [c.key for c in columns(prev)].index(key) + 1


def test_questionnaire_layout_validations_and_protection(project):
    wb = load_workbook(io.BytesIO(questionnaire_bytes(project, COUNTRY, ROUND)))
    assert wb.sheetnames == ["Questionnaire", "Guide"]
    ws = wb[SHEET]
    asked = project.codebook.in_round(ROUND)
    ids = [ws.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert [i for i in ids if i] == [i.id for i in asked]
    assert ws.protection.sheet and not ws.protection.password
    numeric = [i for i in asked if i.numeric]
    validations = ws.data_validations.dataValidation
    custom = [dv for dv in validations if dv.type == "custom"]
    lists = [dv for dv in validations if dv.type == "list"]
    assert len(custom) == len(numeric)
    covered = {str(c) for dv in validations for rng in dv.sqref.ranges for c in [rng.coord]}
    for ind in asked:  # every answer cell has exactly the validation of its indicator
        r = row_of(ws, ind.id)
        cell = ws.cell(row=r, column=col("answer"))
        assert cell.coordinate in covered
        assert not cell.protection.locked and ws.cell(row=r, column=col("question")).protection.locked
        if not ind.numeric:
            dv = next(dv for dv in lists if cell.coordinate in str(dv.sqref).split())
            assert dv.formula1.strip('"').split(",") == ind.option_values() + ["no data", "not applicable"]
    ind = numeric[0]
    dv = next(dv for dv in custom if ws.cell(row=row_of(ws, ind.id), column=col("answer")).coordinate in str(dv.sqref))
    assert f">={ind.minimum:g}" in dv.formula1
    # previous round shown, inputs empty unless --prefill
    before = {a.indicator_id: a for a in load_evidence(project.evidence_path("2019", COUNTRY), project.codebook, "2019")}
    r = row_of(ws, "MS-L01")
    assert ws.cell(row=r, column=col("previous_answer")).value == before["MS-L01"].answer
    assert all(ws.cell(row=r, column=col(k)).value is None for k in ("answer", "source", "note"))
    pre = load_workbook(io.BytesIO(questionnaire_bytes(project, COUNTRY, ROUND, prefill=True)))[SHEET]
    assert pre.cell(row=r, column=col("answer")).value == before["MS-L01"].answer
    assert "How answers are scored" in [c.value for c in wb["Guide"]["A"]]


def test_questionnaire_bytes_are_deterministic(project, monkeypatch):
    first = questionnaire_bytes(project, COUNTRY, ROUND)
    assert questionnaire_bytes(project, COUNTRY, ROUND) == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = questionnaire_bytes(project, COUNTRY, ROUND)
    assert stamped != first
    assert load_workbook(io.BytesIO(stamped)).properties.modified == dt.datetime(2023, 11, 14, 22, 13, 20)


def test_round_trip_2021_gives_identical_evidence_files(project_dir, tmp_path):
    """Generate the 2021 workbooks, fill them from today's evidence files, import: every evidence
    file is byte-identical (so every results table is too: the pipeline is deterministic). Imported
    into a project without the files, the answers are the same (numbers as values)."""
    project = load_project(root=project_dir)
    before = raw_checksums(project_dir)
    fresh_dir = copy_project(tmp_path / "fresh", ["config", "raw", "workflow"])
    for p in (fresh_dir / "raw" / "evidence" / ROUND).glob("*.csv"):
        p.unlink()
    fresh = load_project(root=fresh_dir)
    for country in project.countries:
        path = tmp_path / ROUND / f"{country}.xlsx"
        path.parent.mkdir(exist_ok=True)
        filled(project, country).save(path)
        result = import_questionnaire(project, path)
        assert not result.written and "unchanged" in result.message
        written = import_questionnaire(fresh, path)
        # every answer of the shipped file is added (a question the file leaves unanswered, e.g.
        # a real statistic the Summary prints for another date, stays empty)
        n_answers = len(load_evidence(project.evidence_path(ROUND, country), project.codebook, ROUND))
        assert written.written and f"{n_answers} answers added, 0 changed, 0 removed" in written.message
        # the same answers ('34.0' typed into a number cell comes back as '34': the same value)
        strip = lambda answers: [(a.indicator_id, a.status, a.answer if a.value is None else a.value, a.source, a.note)
                                 for a in answers]
        assert strip(load_evidence(fresh.evidence_path(ROUND, country), fresh.codebook, ROUND)) == \
            strip(load_evidence(project.evidence_path(ROUND, country), project.codebook, ROUND))
    assert raw_checksums(project_dir) == before


def test_import_refuses_a_differing_file_unless_replace(project_dir, tmp_path, monkeypatch, capsys):
    project = load_project(root=project_dir)
    wb = filled(project)
    ws = wb[SHEET]
    ws.cell(row=row_of(ws, "MS-L01"), column=col("answer"), value="yes")
    path = tmp_path / ROUND / f"{COUNTRY}.xlsx"
    path.parent.mkdir()
    wb.save(path)
    target = project.evidence_path(ROUND, COUNTRY)
    original = target.read_bytes()
    monkeypatch.chdir(project_dir)
    assert cli(["import", str(path)]) == 1
    assert "--replace" in capsys.readouterr().err and target.read_bytes() == original
    try:
        assert cli(["import", str(path), "--replace"]) == 0
        out = capsys.readouterr().out
        assert "0 answers added, 1 changed, 0 removed" in out and "MS-L01: answer 'no' -> 'yes'" in out
        assert target.read_bytes() == original.replace(b"\nMS-L01,no,", b"\nMS-L01,yes,")
    finally:
        target.write_bytes(original)


# --- the catalogue of bad workbooks: (name, change to a good filled workbook, file name, expected text, column) ---

def _first(project, pred):
    return next(i for i in project.codebook.in_round(ROUND) if pred(i))


def _set(key, value, pick):
    def change(wb, project):
        ws = wb[SHEET]
        ind = _first(project, pick)
        ws.cell(row=row_of(ws, ind.id), column=col(key)).value = value(ind) if callable(value) else value
    return change


def _swap_answer_source(wb, project):
    ws = wb[SHEET]
    for r in range(HEADER_ROW, ws.max_row + 1):
        a, s = ws.cell(row=r, column=col("answer")), ws.cell(row=r, column=col("source"))
        a.value, s.value = s.value, a.value


def _duplicate(wb, project):
    ws = wb[SHEET]
    ws.append([c.value for c in ws[row_of(ws, "MS-L01")]])


def _delete(wb, project):
    ws = wb[SHEET]
    ws.delete_rows(row_of(ws, "MS-L02"))


def _clear_id(wb, project):
    ws = wb[SHEET]
    ws.cell(row=row_of(ws, "MS-L02"), column=1).value = None


def _rename_sheet(wb, project):
    wb[SHEET].title = "Answers"


def _merge(wb, project):
    ws = wb[SHEET]
    r = row_of(ws, "MS-L01")
    ws.merge_cells(start_row=r, start_column=col("source"), end_row=r, end_column=col("note"))


def _meta(row, value):
    def change(wb, project):
        wb[SHEET].cell(row=row, column=2, value=value)
    return change


numeric_with_max = lambda i: i.numeric and i.maximum is not None
categorical = lambda i: not i.numeric
numeric = lambda i: i.numeric

CATALOGUE = [
    ("answer not an option", _set("answer", "maybe", categorical), None, "is not an answer option", "F (answer)"),
    ("number out of range", _set("answer", lambda i: i.maximum + 1, numeric_with_max), None, "is out of range", "F (answer)"),
    ("comma decimal", _set("answer", "12,5", numeric), None, "'.' as the decimal separator", "F (answer)"),
    ("empty answer with a source", _set("answer", None, categorical), None, "empty answer", "F (answer)"),
    ("formula instead of a value", _set("answer", "=1+1", numeric), None, "a formula", "F (answer)"),
    ("date where a number belongs", _set("answer", dt.datetime(2021, 3, 1), numeric), None, "a date", "F (answer)"),
    ("true/false value", _set("answer", True, categorical), None, "true/false", "F (answer)"),
    ("unknown id", _set("indicator_id", "MS-L99", categorical), None, "unknown indicator id", "A (id)"),
    ("missing id", _clear_id, None, "missing id", "A (id)"),
    ("duplicated row", _duplicate, None, "duplicate row", "A (id)"),
    ("deleted row", _delete, None, "row of indicator MS-L02 is missing", "A (id)"),
    ("moved columns", _swap_answer_source, None, "expected 'answer'", "F (answer)", 2),  # F and G swapped
    ("renamed column", lambda wb, p: wb[SHEET].cell(row=HEADER_ROW, column=col("note"), value="comments"), None,
     "expected 'note'", "H (note)"),
    ("added column", lambda wb, p: wb[SHEET].cell(row=HEADER_ROW, column=12, value="my remarks"), None, "unexpected column", "L"),
    ("merged cells", _merge, None, "merged cells", "G"),
    ("extra sheet", lambda wb, p: wb.create_sheet("Notes"), None, "unexpected sheet 'Notes'", None),
    ("renamed sheet", _rename_sheet, None, "sheet 'Questionnaire' is missing", None),
    ("workbook of another country", lambda wb, p: None, "CZ.xlsx", "workbook of country BG", "B (country)"),
    ("workbook of another round", lambda wb, p: None, "2019/BG.xlsx", "workbook of round 2021", "B (round)"),
    ("unconfigured country", _meta(2, "XX"), "XX.xlsx", "country 'XX' is not configured", "B (country)"),
    ("not a workbook", None, None, "not an .xlsx workbook", None),
]


@pytest.mark.parametrize("name,change,file_name,expected,column,n", [c + (1,) * (6 - len(c)) for c in CATALOGUE],
                         ids=[c[0] for c in CATALOGUE])
def test_bad_workbook_gives_one_clear_message_and_writes_nothing(project_dir, tmp_path, monkeypatch, capsys,
                                                                  name, change, file_name, expected, column, n):
    project = load_project(root=project_dir)
    path = tmp_path / (file_name if file_name and "/" in file_name else f"{ROUND}/{file_name or COUNTRY + '.xlsx'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if change is None:
        path.write_bytes(b"answer,source\nyes,law\n")
    else:
        wb = filled(project)
        change(wb, project)
        wb.save(path)
    before = raw_checksums(project_dir)
    with pytest.raises(WorkbookError) as err:
        import_questionnaire(project, path, replace=True)
    problems = err.value.problems
    assert len(problems) == n, err.value.format()
    text = problems[0].format()
    assert expected in text
    if column:
        assert f"column {column}" in text and "row " in text and f"sheet '{SHEET}'" in text
    monkeypatch.chdir(project_dir)
    assert cli(["import", str(path), "--replace"]) == 1
    err_text = capsys.readouterr().err
    assert expected in err_text and "Traceback" not in err_text and "Nothing was written" in err_text
    assert raw_checksums(project_dir) == before
