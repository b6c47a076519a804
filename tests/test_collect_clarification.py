"""The clarification loop closed (issue 15): answer every open item of one country (some confirmed,
some fixed), import, rebuild -> confirmed items resolved, fixed ones gone, scores changed exactly
as the corrections imply, and the QA annex, the QA summary and the readers' report show it; an
answer changed after its confirmation re-opens the item. Runs the workflow on a two-country copy
of the project (one module-scoped build, rebuilt after the import)."""

from __future__ import annotations

import os
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from niem.inputs.rawfiles import COUNTRY_FILES, raw_file_problems
from workflow_helpers import copy_project, snakemake

from niem.collect.clarify import HEADER_ROW, KEYS, SHEET
from niem.collect.cli import main as cli
from niem.collect.project import load_project
from niem.quality.clarification import REGISTER_COLUMNS, read_register
from niem.scoring.country import build_country_tables
from niem.scoring.rules import ScoringRules

KEEP = ["BG", "CZ"]
COUNTRY, ROUND = "BG", "2021"


def two_country_copy(dest):
    work = copy_project(dest)
    config = work / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text("".join(line for line in text.splitlines(keepends=True)
                              if not re.match(r"\s+- \{code: (?!%s)" % "|".join(KEEP), line)), encoding="utf-8")
    for path in (work / "raw").rglob("*.csv"):
        if path.parent.name in ("evidence", *COUNTRY_FILES) or path.parent.parent.name == "evidence":
            if path.stem not in KEEP:
                path.unlink()
    return work


def queue(work, round_id=ROUND):
    return pd.read_parquet(work / "results" / "clarification" / f"{round_id}.parquet")


def fill(path, plan):
    wb = load_workbook(path)
    ws = wb[SHEET]
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        key = (ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value)
        if key in plan:
            for k, v in plan[key].items():
                ws.cell(row=r, column=KEYS.index(k) + 1).value = v
    wb.save(path)


def response_for(item, ind):
    """Confirm every other item; fix the rest the way its issue code asks."""
    by = {"by": "A. Researcher"}
    if item["i"] % 2 == 0 or item["issue_code"] in ("note_other_country", "note_other_round"):
        return {"response": "confirm as is", "new_note": "Checked with the ministry.", **by}
    if item["issue_code"] in ("no_source", "statistical_no_source"):
        return {"response": "source added", "new_source": "Act 1/2020, art. 3", **by}
    if item["issue_code"] == "changed_without_note":
        return {"response": "note added", "new_note": "New regulation in 2020.", **by}
    # no_data_after_data: the data exist after all; give the previous round's answer back, with its source
    previous = item["previous_answer"]
    return {"response": "corrected answer given", "corrected_answer": float(previous) if ind.numeric else previous,
            "new_source": "National statistics office, 2021", **by}


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    work = two_country_copy(tmp_path_factory.mktemp("clarify"))
    snakemake(work, "quality")  # the country tables come with the queue
    before = {"queue": queue(work), "scores": {t: pd.read_parquet(work / "results" / "countries" / COUNTRY / f"{t}.parquet")
                                               for t in ("indicator_scores", "dimension_scores")},
              "other": queue(work)[lambda q: q["country"] != COUNTRY]}
    snakemake(work, f"clarification_workbooks_{ROUND}")
    project = load_project(root=work)
    items = before["queue"][before["queue"]["country"] == COUNTRY].reset_index(drop=True)
    plan = {}
    for i, it in items.iterrows():
        plan[(it["indicator_id"], it["issue_code"])] = response_for({**it, "i": i}, project.codebook.by_id[it["indicator_id"]])
    assert {p["response"] for p in plan.values()} >= {"confirm as is", "corrected answer given"}
    workbook = work / "clarification" / ROUND / f"{COUNTRY}.xlsx"
    fill(workbook, plan)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        assert cli(["import-clarification", str(workbook)]) == 0
    finally:
        os.chdir(cwd)
    # the reports that show the register: the country's QA annex and readers' report, the QA summary
    snakemake(work, "quality", f"reports/qa/{COUNTRY}.html", "reports/qa/summary.html",
              f"reports/country/{COUNTRY}.html")
    return work, project, before, plan


def html_text(path):
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


def table_cells(row):
    """The cells of one HTML table row as text (markdown escapes undone)."""
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()).replace("\\", "") for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]


def section(html, heading_id):
    """The HTML of one section (from its heading to the next h2), empty when there is none."""
    parts = html.split(f'id="{heading_id}"', 1)
    return parts[1].split("<h2", 1)[0] if len(parts) == 2 else ""


def test_confirmed_items_resolved_fixed_items_gone(loop):
    work, project, before, plan = loop
    after = queue(work)
    mine = after[after["country"] == COUNTRY]
    status = {(r.indicator_id, r.issue_code): r.status for r in mine.itertuples()}
    confirmed = {k for k, p in plan.items() if p["response"] == "confirm as is"}
    fixed = set(plan) - confirmed
    assert confirmed and fixed
    assert {k: status.get(k) for k in confirmed} == {k: "resolved" for k in confirmed}
    assert not fixed & set(status), "a fixed item is still in the queue"
    assert set(status) == confirmed, "the corrections raised new items"
    pd.testing.assert_frame_equal(after[after["country"] != COUNTRY].reset_index(drop=True), before["other"].reset_index(drop=True))
    register, problems = read_register(work / "raw" / "clarifications" / ROUND / f"{COUNTRY}.csv", project.codebook, ROUND)
    assert not problems and len(register) == len(plan)
    summary = pd.read_parquet(work / "results" / "clarification_summary.parquet")
    mine_summary = summary[(summary["country"] == COUNTRY) & (summary["round"] == ROUND)]
    assert mine_summary["n_resolved"].sum() == len(confirmed) and mine_summary["n_items"].sum() == 0


def test_scores_change_exactly_as_the_corrections_imply(loop):
    work, project, before, plan = loop
    corrected = {ind for (ind, _), p in plan.items() if p["response"] == "corrected answer given"}
    old, new = before["scores"]["indicator_scores"], pd.read_parquet(work / "results" / "countries" / COUNTRY / "indicator_scores.parquet")
    cols = ["round", "indicator_id", "status", "answer", "points"]
    merged = old[cols].merge(new[cols], on=["round", "indicator_id"], suffixes=("_old", "_new"))
    differs = merged[(merged["answer_old"] != merged["answer_new"]) | (merged["status_old"] != merged["status_new"])]
    assert set(differs["indicator_id"]) == corrected and set(differs["round"]) == {ROUND}
    # the pipeline's scores are those of the scoring rules applied to the corrected evidence file
    evidence = {r: str(work / "raw" / "evidence" / r / f"{COUNTRY}.csv") for r in project.rounds}
    expected = build_country_tables(COUNTRY, evidence, project.codebook, ScoringRules.from_config(project.config["scoring"]))
    got = pd.read_parquet(work / "results" / "countries" / COUNTRY / "dimension_scores.parquet")
    want = pd.DataFrame(expected["dimension_scores"])
    assert list(got["score"].round(9).fillna(-1)) == list(want["score"].round(9).fillna(-1))
    changed = got.merge(before["scores"]["dimension_scores"], on=["round", "dimension"], suffixes=("", "_old"))
    moved = changed[(changed["score"].fillna(-1) - changed["score_old"].fillna(-1)).abs() > 1e-9]
    dims = {project.codebook.by_id[i].dimension for i in corrected if project.codebook.by_id[i].kind == "scored"}
    assert set(moved["dimension"]) <= dims


def test_qa_annex_lists_resolved_items_apart_with_the_confirmation(loop):
    work, project, before, plan = loop
    confirmed = sorted(k for k, p in plan.items() if p["response"] == "confirm as is")
    register, problems = read_register(work / "raw" / "clarifications" / ROUND / f"{COUNTRY}.csv", project.codebook, ROUND)
    assert not problems
    html = (work / "reports" / "qa" / f"{COUNTRY}.html").read_text(encoding="utf-8")
    resolved = section(html, "resolved-items")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", resolved, flags=re.S)[1:]
    cells = [table_cells(r) for r in rows]
    assert sorted((c[1], c[2]) for c in cells) == confirmed
    for c in cells:  # round, indicator, issue, answer, response, by, date, note: as in the register
        reg = [r for r in register if (r["indicator_id"], r["issue_code"]) == (c[1], c[2])][-1]
        assert c[4:] == [reg["response"], reg["by"], reg["date"], reg["text"]] and c[0] == ROUND
    # the open items listed are the country's unresolved ones (other rounds'; every 2021 one was answered)
    listed = {tuple(table_cells(r)[:3]) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", section(html, "open-and-re-opened-items"), flags=re.S)[1:]}
    queue_now = pd.concat([queue(work, r) for r in project.rounds])
    mine = queue_now[(queue_now["country"] == COUNTRY) & (queue_now["status"] != "resolved")]
    assert listed == set(zip(mine["round"], mine["indicator_id"], mine["issue_code"])) and ROUND not in set(mine["round"])


def test_qa_summary_counts_open_and_resolved_per_country(loop):
    work, project, before, plan = loop
    queue_now = pd.concat([queue(work, r) for r in project.rounds])
    html = (work / "reports" / "qa" / "summary.html").read_text(encoding="utf-8")
    head, *rows = [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, flags=re.S)]
                   for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)]
    shown = {r[0]: (int(r[head.index("Open total")]), int(r[head.index("Resolved")])) for r in rows}
    want = {project.names[c]: (int((part["status"] != "resolved").sum()), int((part["status"] == "resolved").sum()))
            for c, part in ((c, queue_now[queue_now["country"] == c]) for c in project.countries)}
    assert shown == want and want[project.names[COUNTRY]][1] > 0 and want[project.names["CZ"]][0] > 0


def test_readers_report_counts_only_unresolved_items(loop):
    work, project, before, plan = loop
    queue_now = pd.concat([queue(work, r) for r in project.rounds])
    mine = queue_now[queue_now["country"] == COUNTRY]
    unresolved = int((mine["status"] != "resolved").sum())
    assert 0 < unresolved < len(mine)  # some confirmed items are still in the queue, as resolved
    text = html_text(work / "reports" / "country" / f"{COUNTRY}.html")
    said = re.search(r"([0-9]+) clarification items? on the answers behind this report (?:are|is) still open", text)
    assert said and int(said.group(1)) == unresolved


def test_register_of_an_unconfigured_country_or_round_is_refused(tmp_path):
    raw = tmp_path / "raw"
    stray = {"clarifications/2015/BG.csv": "resolution register for round '2015', which config/config.yaml does not list",
             "clarifications/2021/HU.csv": "resolution register for country 'HU', which config/config.yaml does not list",
             "clarifications/2021/BG.xlsx": "unexpected file in the clarifications folder",
             "clarifications/BG.csv": "file outside a round folder; resolution register files go in raw/clarifications/"}
    for path in [*stray, "clarifications/2021/BG.csv", "clarifications/2021/.~lock.BG.csv#"]:
        (raw / path).parent.mkdir(parents=True, exist_ok=True)
        (raw / path).write_text(",".join(REGISTER_COLUMNS) + "\n", encoding="utf-8")
    found = {p.file: p.message for p in raw_file_problems(str(raw), KEEP, ["2019", "2021"]) if "clarifications" in p.file}
    assert set(found) == {str(raw / p) for p in stray}
    for path, message in stray.items():
        assert message in found[str(raw / path)], path


# These two change the shared project (or copy it after the change): they run last.
def test_answer_changed_after_confirmation_reopens(loop):
    work, project, before, plan = loop
    confirmed = [k for k, p in plan.items() if p["response"] == "confirm as is"
                 and k[1] in ("changed_without_note", "no_source", "statistical_no_source")]
    if not confirmed:
        pytest.skip("no confirmed item whose issue survives an answer change")
    ind_id, code = confirmed[0]
    ind = project.codebook.by_id[ind_id]
    path = work / "raw" / "evidence" / ROUND / f"{COUNTRY}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith(ind_id + ","))
    fields = lines[i].split(",")
    if ind.numeric:
        fields[1] = repr(round(float(fields[1]) + 1.0, 2)) if ind.maximum is None or float(fields[1]) + 1 <= ind.maximum else \
            repr(round(float(fields[1]) - 1.0, 2))
    else:
        fields[1] = next(o for o in ind.option_values() if o != fields[1])
    lines[i] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    snakemake(work, "quality", f"reports/qa/{COUNTRY}.html")
    status = {(r.indicator_id, r.issue_code): r.status for r in queue(work).itertuples() if r.country == COUNTRY}
    assert status[(ind_id, code)] == "reopened"
    # the QA annex lists it with the open items, marked as re-opened, and no longer as resolved
    html = (work / "reports" / "qa" / f"{COUNTRY}.html").read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", section(html, "open-and-re-opened-items"), flags=re.S)
               if f">{ind_id}<" in r.replace("\\", "") and code in r.replace("\\", ""))
    assert "re-opened: confirmed by A. Researcher" in " ".join(re.sub(r"<[^>]+>", " ", row).split())
    assert not any(f">{ind_id}<" in r.replace("\\", "") and code in r.replace("\\", "")
                   for r in re.findall(r"<tr[^>]*>(.*?)</tr>", section(html, "resolved-items"), flags=re.S))


def test_bad_register_stops_the_queue_with_file_and_line(loop, tmp_path):
    work, project, before, plan = loop
    bad = tmp_path / "bad"
    shutil.copytree(work, bad, ignore=shutil.ignore_patterns(".snakemake", "__pycache__"))
    reg = bad / "raw" / "clarifications" / ROUND / f"{COUNTRY}.csv"
    text = reg.read_text(encoding="utf-8").replace("confirm as is", "confirmed", 1)
    reg.write_text(text, encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), start=1) if ",confirmed," in l)
    (bad / "reports" / "qa" / f"{COUNTRY}.html").unlink()
    # the queue and the country's report job (readers' report and QA annex) read the register: each
    # stops with the same message
    proc = snakemake(bad, "quality", f"reports/qa/{COUNTRY}.html", "--keep-going", check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stdout + proc.stderr
    message = f"line {line}, field 'response': unknown response 'confirmed'"
    for log in ("clarification_queue.log", f"reports/{COUNTRY}.log"):
        assert message in (bad / "logs" / log).read_text(encoding="utf-8"), log
    assert not (bad / "reports" / "qa" / f"{COUNTRY}.html").exists()
    assert REGISTER_COLUMNS[2] == "response"
