"""A new round (issue 15): `new-round` adds it to config/config.yaml keeping comments and layout and
writes its questionnaires; the pipeline accepts missing evidence of a configured round only with
allow_pending_rounds (also given as `--config allow_pending_rounds=true`), lists the pending
countries, and the reports say which ones are pending; imports of every country give a 4-round
build with reports."""

from __future__ import annotations

import os
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import ROOT
from test_collect_clarification import two_country_copy
from workflow_helpers import snakemake

from niem.collect.cli import main as cli
from niem.collect.project import import_questionnaire, load_project
from niem.collect.questionnaire import fill_questionnaire
from niem.collect.rounds import with_round
from niem.core.errors import InputError
from niem.core.yamlio import load_yaml
from niem.inputs.config import command_line_values, override_problems
from niem.core.errors import Problem
from niem.inputs.evidence import load_evidence
from niem.reports.assemble import pending_notice
from niem.reports.content import Labels

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


def test_command_line_booleans_read_as_in_the_yaml_file():
    # Snakemake turns only 'True'/'False' into booleans: `--config allow_pending_rounds=true` arrives as 'true'
    assert command_line_values({"allow_pending_rounds": "true", "results_dir": "true", "report_engine": "pandoc"}) == {
        "allow_pending_rounds": True, "results_dir": "true", "report_engine": "pandoc"}
    assert command_line_values({"allow_pending_rounds": "FALSE"}) == {"allow_pending_rounds": False}
    assert command_line_values({"allow_pending_rounds": "yes"}) == {"allow_pending_rounds": "yes"}  # refused by the schema
    moved = override_problems([Problem("config/config.yaml", 6, "allow_pending_rounds", "bad"),
                               Problem("config/config.yaml", 9, "rounds[0].id", "bad")], {"allow_pending_rounds": "yes"})
    assert [(p.file, p.line) for p in moved] == [("--config (command line)", None), ("config/config.yaml", 9)]


def test_pending_notice_names_every_pending_country_and_round():
    labels = Labels({"areas": [], "dimensions": [], "steps": []},
                    [{"id": "2021", "label": "E2"}, {"id": "2023", "label": "E*3"}], {"AA": "Aland", "BB": "Borduria", "CC": "Carpania"})
    pending = [{"country": "AA", "round": "2023", "file": "raw/evidence/2023/AA.csv"},
               {"country": "BB", "round": "2023", "file": "raw/evidence/2023/BB.csv"}]
    text = pending_notice(pending, labels)
    assert text.startswith("The answers of Aland (AA), Borduria (BB) for round 2023 (E\\*3) are not imported yet, "
                           "so these countries have **no score for 2023**")
    assert text.endswith("over the other 1 country.")
    assert pending_notice(pending, labels, "CC") == pending_notice([], labels) == ""
    assert "Borduria has **no score for 2023**" in pending_notice(pending, labels, "BB")
    assert "no clarification items" in pending_notice(pending, labels, "BB", qa=True)


def page_text(pdf, page=0):
    """Text of one PDF page, hyphenation at line ends undone and white space collapsed."""
    text = PdfReader(pdf).pages[page].extract_text()
    return " ".join(re.sub(r"-\s*\n\s*", "", text).split())


def top_of_html(path):
    """The text before the first numbered section (title, contents and the boxes under the title):
    the first level-2 heading that is neither the contents' title (Quarto's <h2 id="toc-title">)
    nor a box's unlisted heading."""
    html = path.read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", re.split(r"<h2(?![^>]*\b(?:toc-title|unlisted)\b)", html, maxsplit=1)[0]).split())


PENDING_NOTE = "are not imported yet"


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

    # BG imported, CZ still pending: refused without the setting ('false' on the command line is false),
    # accepted with it on the command line ('true', which Snakemake passes as a string)
    fill_from(project, "BG", books["BG"])
    assert "168 answers added" in import_questionnaire(project, books["BG"]).message
    refused = snakemake(work, "quality", "--config", "allow_pending_rounds=false", check=False)
    assert refused.returncode != 0
    out = refused.stdout + refused.stderr
    assert f"raw/evidence/{NEW}/CZ.csv" in out and "allow_pending_rounds" in out and "Traceback" not in out
    assert "not of type" not in out
    snakemake(work, "quality", "reports", "pending_evidence", "--config", "allow_pending_rounds=true")
    pending = pd.read_parquet(work / "results" / "pending_evidence.parquet")
    assert pending.to_dict("records") == [{"country": "CZ", "round": NEW, "file": f"raw/evidence/{NEW}/CZ.csv"}]
    scores = pd.read_parquet(work / "results" / "overall_scores.parquet")
    assert sorted(scores[scores["country"] == "BG"]["round"]) == ["2017", "2019", "2021", NEW]
    assert sorted(scores[scores["country"] == "CZ"]["round"]) == ["2017", "2019", "2021"]

    # the reports say, near the top and on the first printed page, which country and round is pending
    reports = work / "reports"
    name = project.names["CZ"]
    for html, pdf in [(reports / "comparative" / "comparative.html", reports / "comparative" / "comparative.pdf"),
                      (reports / "country" / "CZ.html", reports / "country" / "CZ.pdf"),
                      (reports / "qa" / "summary.html", None), (reports / "qa" / "CZ.html", None)]:
        top = top_of_html(html)
        assert PENDING_NOTE in top and name in top and f"no score for {NEW}" in top, html
        if pdf:
            first = page_text(pdf)
            assert PENDING_NOTE in first and f"no score for {NEW}" in first and f"round {NEW} ({project.round(NEW)['label']})" in first, pdf
    for quiet in (reports / "country" / "BG.html", reports / "qa" / "BG.html"):
        assert PENDING_NOTE not in quiet.read_text(encoding="utf-8"), quiet
    # CZ's "At a glance" gives its latest score with evidence (2021), not a missing 2023 one
    cz_2021 = scores[(scores["country"] == "CZ") & (scores["round"] == "2021")]["score"].iloc[0]
    glance = page_text(reports / "country" / "CZ.pdf")
    assert f"In 2021 (Evaluation 2) it had an illustrative score of {cz_2021:.1f} out of 100" in glance
    assert "score of no score" not in glance

    # every country imported: a 4-round build with reports, without the setting
    fill_from(project, "CZ", books["CZ"])
    import_questionnaire(project, books["CZ"])
    # (BG's own report and the QA annexes were built above; the reports that change are these)
    snakemake(work, "quality", "pending_evidence", "reports/comparative/comparative.pdf", "reports/country/CZ.pdf",
              "reports/qa/summary.html")
    assert pd.read_parquet(work / "results" / "pending_evidence.parquet").empty
    scores = pd.read_parquet(work / "results" / "overall_scores.parquet")
    assert sorted(set(scores["round"])) == ["2017", "2019", "2021", NEW] and len(scores) == 8
    same = scores.pivot(index="country", columns="round", values="score")
    assert (same[NEW] == same["2021"]).all()  # the 2023 answers are the 2021 ones
    for html in [reports / "comparative" / "comparative.html", reports / "country" / "CZ.html", reports / "qa" / "summary.html"]:
        assert PENDING_NOTE not in html.read_text(encoding="utf-8"), html
    assert (reports / "_work" / "comparative" / "figures" / f"heatmap_{NEW}.png").is_file()
    glance = page_text(reports / "country" / "CZ.pdf")
    assert f"score of {same.loc['CZ', NEW]:.1f} out of 100 in {NEW} (Evaluation 3)" in glance
