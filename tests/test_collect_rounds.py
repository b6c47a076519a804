"""A new round (issue 15): `new-round` adds it to config/config.yaml keeping comments and layout and
writes its questionnaires; the pipeline accepts missing evidence of a configured round only with
allow_pending_rounds, and lists the pending countries; imports of every country give a 4-round build."""

from __future__ import annotations

import io
import os

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import ROOT
from test_collect_clarification import two_country_copy
from workflow_helpers import snakemake

from niem.collect.cli import main as cli
from niem.collect.project import import_questionnaire, load_project
from niem.collect.questionnaire import fill_questionnaire
from niem.collect.rounds import with_round
from niem.core.errors import InputError
from niem.core.yamlio import load_yaml
from niem.inputs.evidence import load_evidence

NEW = "2023"


def test_with_round_inserts_one_line_and_keeps_the_rest():
    text = (ROOT / "config" / "config.yaml").read_text(encoding="utf-8")
    new = with_round(text, NEW, "Evaluation 3", "2023-01-01", "config/config.yaml")
    old_lines, new_lines = text.splitlines(keepends=True), new.splitlines(keepends=True)
    added = [line for line in new_lines if line not in old_lines]
    assert added == ['  - {id: "2023", label: Evaluation 3, reference_date: "2023-01-01"}\n']
    i = new_lines.index(added[0])
    assert new_lines[:i] + new_lines[i + 1:] == old_lines and '"2021"' in new_lines[i - 1]
    assert with_round(text, NEW, 'Round "3": 2023', "2023-01-01", "c").count('label: "Round \\"3\\": 2023"') == 1
    with pytest.raises(InputError, match="not a date"):
        with_round(text, NEW, "Evaluation 3", "2023-02-30", "c")


def in_dir(path, argv):
    cwd = os.getcwd()
    os.chdir(path)
    try:
        return cli(argv)
    finally:
        os.chdir(cwd)


def fill_from(project, country, path, source_round="2021"):
    """A filled 2023 questionnaire: the 2021 answers given again (synthetic, for the test only)."""
    wb = load_workbook(path)
    fill_questionnaire(wb, load_evidence(project.evidence_path(source_round, country), project.codebook, source_round), project.codebook)
    wb.save(path)


def test_new_round_pending_then_imported(tmp_path):
    work = two_country_copy(tmp_path / "p")
    config_before = (work / "config" / "config.yaml").read_text(encoding="utf-8")
    assert in_dir(work, ["new-round", NEW, "--label", "Evaluation 3", "--reference-date", "2023-01-01"]) == 0
    config_after = (work / "config" / "config.yaml").read_text(encoding="utf-8")
    assert config_after.count("\n") == config_before.count("\n") + 1 and "# Evaluation rounds" in config_after
    data, _ = load_yaml(work / "config" / "config.yaml")
    assert [r["id"] for r in data["rounds"]] == ["2017", "2019", "2021", NEW]
    assert in_dir(work, ["new-round", NEW, "--label", "again", "--reference-date", "2023-01-01"]) == 1
    project = load_project(root=work)
    books = {c: work / "questionnaires" / NEW / f"{c}.xlsx" for c in project.countries}
    assert all(p.is_file() for p in books.values())
    ws = load_workbook(books["BG"])["Questionnaire"]
    assert ws["I5"].value == "answer 2021" and ws["B3"].value == NEW

    # BG imported, CZ still pending: refused without the setting, accepted with it
    fill_from(project, "BG", books["BG"])
    assert "168 answers added" in import_questionnaire(project, books["BG"]).message
    refused = snakemake(work, "quality", check=False)
    assert refused.returncode != 0
    out = refused.stdout + refused.stderr
    assert f"raw/evidence/{NEW}/CZ.csv" in out and "allow_pending_rounds" in out and "Traceback" not in out
    config = work / "config" / "config.yaml"
    config.write_text(config_after + "\nallow_pending_rounds: true\n", encoding="utf-8")
    snakemake(work, "quality", "tables", "pending_evidence")
    pending = pd.read_parquet(work / "results" / "pending_evidence.parquet")
    assert pending.to_dict("records") == [{"country": "CZ", "round": NEW, "file": f"raw/evidence/{NEW}/CZ.csv"}]
    scores = pd.read_parquet(work / "results" / "overall_scores.parquet")
    assert sorted(scores[scores["country"] == "BG"]["round"]) == ["2017", "2019", "2021", NEW]
    assert sorted(scores[scores["country"] == "CZ"]["round"]) == ["2017", "2019", "2021"]

    # every country imported: a 4-round build without the setting
    fill_from(project, "CZ", books["CZ"])
    import_questionnaire(project, books["CZ"])
    config.write_text(config_after, encoding="utf-8")
    snakemake(work, "quality", "tables", "pending_evidence")
    assert pd.read_parquet(work / "results" / "pending_evidence.parquet").empty
    scores = pd.read_parquet(work / "results" / "overall_scores.parquet")
    assert sorted(set(scores["round"])) == ["2017", "2019", "2021", NEW] and len(scores) == 8
    same = scores.pivot(index="country", columns="round", values="score")
    assert (same[NEW] == same["2021"]).all()  # the 2023 answers are the 2021 ones
