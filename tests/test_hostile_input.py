"""Hostile and careless input (issue 18) that the file catalogue (tests/bad_inputs/) cannot hold:
generated files, symbolic links, error-output limits, findings item numbers, the published-figures
check on a country without scores, content-based staleness, and one end-to-end run with markup in
config and codebook names (escaped in every report, no local file read) and a country whose
evidence gives no score (missing scores, the cross-country steps go on)."""

from __future__ import annotations

import base64
import os
import re
import shutil
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import tiny_codebook_data
from niem.core.csvio import Row
from niem.core.errors import MAX_LISTED, InputError
from niem.core.inputstate import mark_changed
from niem.inputs.codebook import build_codebook
from niem.inputs.evidence import read_evidence
from niem.inputs.rawfiles import raw_file_problems
from niem.inputs.seeddata import validate_findings
from workflow_helpers import snakemake

TINY = build_codebook(tiny_codebook_data())
HEADER = "indicator_id,answer,source,note\n"


def test_quoted_field_too_long_says_so(tmp_path):
    path = tmp_path / "BG.csv"
    path.write_text(HEADER + 'A-L01,yes,Law,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    _, _, problems = read_evidence(path, TINY, "2019", display="BG.csv")
    assert [(p.line, p.field) for p in problems] == [(2, None)]
    assert "longer than 131,072 characters" in problems[0].message
    assert "double quotes" not in problems[0].message  # it was quoted: that advice would mislead


def test_error_output_is_capped_per_file(tmp_path):
    path = tmp_path / "BG.csv"
    path.write_text(HEADER + "A-L01,yes,Law,\n" * 5000, encoding="utf-8")
    _, _, problems = read_evidence(path, TINY, "2019", display="BG.csv")
    text = str(InputError(problems))
    assert len(problems) == 4999
    assert text.count("duplicate row for indicator A-L01") == MAX_LISTED
    assert f"... and {4999 - MAX_LISTED} more problems in this file" in text
    wide = tmp_path / "CZ.csv"
    wide.write_text(HEADER.strip() + "," + ",".join(f"c{i}" for i in range(10_000)) + "\n", encoding="utf-8")
    _, _, problems = read_evidence(wide, TINY, "2019", display="CZ.csv")
    text = str(InputError(problems))
    assert len(text.splitlines()) == 1 + MAX_LISTED + 1 and len(text) < 20_000


def test_long_values_in_messages_are_cut(tmp_path):
    path = tmp_path / "BG.csv"
    path.write_text(HEADER + "X" * 100_000 + ",yes,Law,\n", encoding="utf-8")
    _, _, problems = read_evidence(path, TINY, "2019", display="BG.csv")
    text = str(InputError(problems))
    assert "unknown indicator id" in text and len(text) < 1_000 and "more characters)" in text


def test_symlink_out_of_raw_is_refused_and_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-LINE\n", encoding="utf-8")
    raw = tmp_path / "raw"
    for name in ("evidence/2019/CZ.csv", "bip_statistics/BG.csv", "findings/BG.csv", "bip_statistics/CZ.csv", "findings/CZ.csv"):
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(HEADER, encoding="utf-8")
    (raw / "evidence" / "2019" / "BG.csv").symlink_to(secret)
    (raw / "evidence" / "2019" / "ok.csv").symlink_to(raw / "evidence" / "2019" / "CZ.csv")  # inside raw/: not this check's business
    problems = raw_file_problems(str(raw), ["BG", "CZ"], ["2019"])
    assert [(p.file, p.line, p.field) for p in problems] == [(str(raw / "evidence" / "2019" / "BG.csv"), None, None)]
    assert "symbolic link to a file outside the raw folder" in problems[0].message
    assert "SECRET" not in str(InputError(problems))


@pytest.mark.parametrize("item", ["²", "99999999999999999999", "1e3", "١", "0", "1234567"])
def test_findings_item_numbers_are_ascii_digits_in_range(item):
    rows = (Row(4, {"section": "conclusion", "item": item, "tags_as_printed": "", "dimensions": "", "text": "A finding."}),)
    out, problems = validate_findings(rows, ["housing"], "raw/findings/BG.csv")
    assert out == []
    assert [(p.file, p.line, p.field) for p in problems] == [("raw/findings/BG.csv", 4, "item")]
    assert "is not a whole number from 1 to 999999 (digits 0-9 only)" in problems[0].message


def test_weakest_dimension_check_with_a_country_without_scores():
    from niem.analysis.published import weakest_dimension_in_every_country

    dims = pd.DataFrame({"country": ["BG", "BG", "CZ", "CZ"], "round": "2021", "dimension": ["a", "b", "a", "b"],
                         "score": [10.0, 50.0, None, None]})

    class R:
        dimension = dims

    text, agrees = weakest_dimension_in_every_country(R, "a", 0, "2021")
    assert (text, agrees) == ("weakest for all 1; no dimension scores in CZ", False)


def test_restored_file_is_marked_changed(tmp_path):
    """cp -p of the old file back: content differs from the last run, so it gets a new mtime."""
    state = tmp_path / "state.json"
    f = tmp_path / "BG.csv"
    f.write_text("old\n")
    os.utime(f, (1_000_000_000, 1_000_000_000))
    backup = tmp_path / "BG.csv.bak"
    shutil.copy2(f, backup)
    assert mark_changed([str(f)], state) == []  # first sight: recorded only
    f.write_text("new\n")
    assert mark_changed([str(f)], state) == [str(f)]
    shutil.copy2(backup, f)  # the old content with its old timestamp
    assert f.stat().st_mtime == 1_000_000_000
    assert mark_changed([str(f)], state) == [str(f)]
    assert f.stat().st_mtime > time.time() - 60
    assert mark_changed([str(f)], state) == []  # unchanged since: left alone


# ---------------------------------------------------------------- end to end

def _hostile_project(dest: Path, secret: Path) -> Path:
    from test_workflow import tiny_project

    work = tiny_project(dest)
    cfg_path = work / "config" / "config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["countries"][0]["name"] = f'Bulgaria<img src="{secret}"><script>alert(1)</script>'
    cfg["rounds"][-1]["label"] = "Evaluation $x$ *2* [a](b)"
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    cb_path = work / "config" / "codebook.yaml"
    text = cb_path.read_text(encoding="utf-8")
    hostile_dim = f'Housing `#read("{secret}")`{{=typst}} <img src="{secret}">'
    cb_path.write_text(text.replace("name: Housing,", f"name: '{hostile_dim}',", 1), encoding="utf-8")
    assert hostile_dim in cb_path.read_text(encoding="utf-8")
    # CZ: header-only evidence in 2019, every answer 'not applicable' in 2021: valid, and no score
    ev = work / "raw" / "evidence"
    lines = (ev / "2019" / "CZ.csv").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("indicator_id"))
    (ev / "2019" / "CZ.csv").write_text("\n".join(lines[: header + 1]) + "\n", encoding="utf-8")
    rows = (ev / "2021" / "CZ.csv").read_text(encoding="utf-8").splitlines()
    out = []
    for line in rows:
        if line.startswith("#") or line.startswith("indicator_id"):
            out.append(line)
        else:
            out.append(line.split(",", 1)[0] + ",not applicable,,")
    (ev / "2021" / "CZ.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    return work


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    secret = Path("/tmp") / f"niem18-{uuid.uuid4().hex[:8]}"
    marker = f"SECRET-{uuid.uuid4().hex}"
    secret.write_text(marker + "\n", encoding="utf-8")
    try:
        work = _hostile_project(tmp_path_factory.mktemp("hostile"), secret)
        proc = snakemake(work, "reports", check=False)
        yield work, proc, marker
    finally:
        secret.unlink()


def _tags(html: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(html)
    return found


@pytest.mark.workflow
def test_hostile_names_are_text_and_no_local_file_is_read(hostile):
    work, proc, marker = hostile
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    encoded = [marker, base64.b64encode((marker + "\n").encode()).decode()[:40]]
    outputs = [p for p in (work / "reports").rglob("*") if p.suffix in (".html", ".typ", ".pdf", ".qmd")]
    names = {p.name for p in outputs}
    assert {"BG.html", "BG.pdf", "BG.typ", "CZ.html", "CZ.pdf", "comparative.html", "comparative.pdf"} <= names
    for path in outputs:
        data = path.read_bytes()
        assert not any(e.encode() in data for e in encoded), f"{path} holds the local file's content"
        if path.suffix == ".html":
            html = data.decode("utf-8")
            tags = _tags(html)
            assert not [t for t, _ in tags if t == "script"], f"live script in {path}"
            srcs = [a.get("src") or "" for t, a in tags if t == "img"]
            assert srcs or "qa" in path.parts, f"{path}: no figure"  # the QA annexes have none
            assert all(s.startswith("data:image/png;base64,") for s in srcs), f"{path}: {[s[:60] for s in srcs]}"
    bg = (work / "reports" / "country" / "BG.html").read_text(encoding="utf-8")
    assert "Bulgaria&lt;img src=" in bg and "&lt;script&gt;alert(1)&lt;/script&gt;" in bg
    assert "Evaluation $x$ *2* [a](b)" in (work / "reports" / "comparative" / "comparative.html").read_text(encoding="utf-8")
    typ = (work / "reports" / "_work" / "country" / "BG" / "BG.typ").read_text(encoding="utf-8")
    assert '#read("' not in typ.replace('\\#read("', "")  # only escaped: shown, not executed


@pytest.mark.workflow
def test_country_without_scores_gets_missing_scores_and_cross_country_steps_go_on(hostile):
    work, proc, _ = hostile
    assert proc.returncode == 0, proc.stderr[-4000:]
    overall = pd.read_parquet(work / "results" / "overall_scores.parquet")
    cz = overall[overall["country"] == "CZ"]
    assert len(cz) == 2 and cz["score"].isna().all() and cz["missing_reason"].notna().all()
    check = pd.read_parquet(work / "results" / "published_figures_check.parquet")
    assert len(check) > 0
    assert (work / "reports" / "country" / "CZ.pdf").stat().st_size > 10_000


@pytest.mark.workflow
def test_restored_raw_file_reruns_what_depends_on_it(hostile):
    work, proc, _ = hostile
    assert proc.returncode == 0
    path = work / "raw" / "evidence" / "2021" / "BG.csv"
    backup = work / "BG.csv.orig"
    shutil.copy2(path, backup)
    before = (work / "results" / "countries" / "BG" / "indicator_scores.parquet").read_bytes()
    path.write_text(path.read_text(encoding="utf-8").replace(",yes,", ",no,", 3), encoding="utf-8")
    snakemake(work, "tables")
    assert (work / "results" / "countries" / "BG" / "indicator_scores.parquet").read_bytes() != before
    shutil.copy2(backup, path)  # restore the old file with its old timestamp (cp -p)
    dry = snakemake(work, "tables", "--dry-run")
    assert re.search(r"country_tables\s+1\b", dry.stdout + dry.stderr), dry.stdout
    snakemake(work, "tables")
    assert (work / "results" / "countries" / "BG" / "indicator_scores.parquet").read_bytes() == before
    again = snakemake(work, "tables", "--dry-run")
    assert "Nothing to be done" in again.stdout + again.stderr
