"""The generated workbooks open in a real spreadsheet program: LibreOffice headless converts each
2021 questionnaire and a clarification workbook to CSV, and the content is what the codebook and
the evidence say; openpyxl sees the data validations and the sheet protection. Needs Debian's
libreoffice-calc-nogui (.ci/run installs it): skipped locally without it, a failure under CI=true."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from conftest import ROOT

from niem.collect.clarify import COLUMNS, build_clarification
from niem.collect.project import load_project, questionnaire_bytes
from niem.collect.questionnaire import HEADER_ROW
from niem.collect.workbook import deterministic_bytes, epoch_datetime
from niem.inputs.evidence import load_evidence
from niem.quality.clarification import country_items
from niem.scoring.country import validate_country

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ROUND = "2021"


@pytest.fixture(scope="module")
def soffice():
    if not SOFFICE:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (.ci/run installs the Debian package libreoffice-calc-nogui)")
        pytest.skip("LibreOffice not installed (Debian: apt-get install libreoffice-calc-nogui)")
    return SOFFICE


def convert(soffice, files, out, profile):
    """CSV of each workbook's first sheet, in one LibreOffice run with its own profile folder."""
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                           "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {f.stem: list(csv.reader((out / f"{f.stem}.csv").open(encoding="utf-8"))) for f in files}


@pytest.fixture(scope="module")
def project():
    return load_project(root=ROOT)


def test_questionnaires_open_in_libreoffice(soffice, project, tmp_path):
    files = []
    for country in project.countries:
        path = tmp_path / "in" / f"{country}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(questionnaire_bytes(project, country, ROUND))
        files.append(path)
    sheets = convert(soffice, files, tmp_path / "out", tmp_path / "profile")
    asked = project.codebook.in_round(ROUND)
    for country in project.countries:
        rows = sheets[country]
        assert rows[1][:2] == ["Country", country] and rows[2][:2] == ["Round", ROUND]
        header = rows[HEADER_ROW - 1]
        assert header[:8] == ["id", "question", "answer type", "unit", "allowed range", "answer", "source", "note"]
        data = {r[0]: r for r in rows[HEADER_ROW:] if r and r[0]}
        assert list(data) == [i.id for i in asked]
        before = {a.indicator_id: a for a in load_evidence(project.evidence_path("2019", country), project.codebook, "2019")}
        for ind in asked:
            assert data[ind.id][1] == ind.question
            assert data[ind.id][5:8] == ["", "", ""]  # inputs empty: no silent pre-fill
            if ind.id in before and not ind.numeric:
                assert data[ind.id][8] == before[ind.id].answer


def test_clarification_workbook_opens_in_libreoffice(soffice, project, tmp_path):
    country = "BG"
    evidence = {r: str(project.evidence_path(r, country)) for r in project.rounds}
    answers = validate_country(evidence, project.codebook)[0]
    items = [it for it in country_items(country, answers, evidence, project.codebook, project.names) if it["round"] == ROUND]
    assert items
    wb = build_clarification(project.codebook, country, project.names[country], ROUND, items)
    path = tmp_path / f"{country}.xlsx"
    path.write_bytes(deterministic_bytes(wb, epoch_datetime(0)))
    rows = convert(soffice, [path], tmp_path / "out", tmp_path / "profile")[country]
    assert rows[HEADER_ROW - 1] == [c.header for c in COLUMNS]
    assert [(r[0], r[1]) for r in rows[HEADER_ROW:]] == [(it["indicator_id"], it["issue_code"]) for it in items]
    ws = load_workbook(path)["Clarification"]
    assert ws.protection.sheet
    kinds = [dv.type for dv in ws.data_validations.dataValidation]
    response = next(dv for dv in ws.data_validations.dataValidation if "confirm as is" in (dv.formula1 or ""))
    assert len(str(response.sqref).split()) == len(items) or ":" in str(response.sqref)
    assert "list" in kinds
    response_col = [c.key for c in COLUMNS].index("response") + 1
    assert not ws.cell(row=HEADER_ROW + 1, column=response_col).protection.locked
    assert ws.cell(row=HEADER_ROW + 1, column=1).protection.locked
