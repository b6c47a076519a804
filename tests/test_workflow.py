"""End to end: the workflow on a tiny fixture configuration (2 countries x 2 rounds) in a temp dir."""

import re
import shutil
import time

import pyarrow.parquet as pq
import pytest
import yaml

from workflow_helpers import copy_project, snakemake

pytestmark = pytest.mark.workflow

COUNTRIES = ["BG", "CZ"]
ROUNDS = ["2019", "2021"]


def tiny_project(dest):
    work = copy_project(dest)
    cfg = yaml.safe_load((work / "config" / "config.yaml").read_text())
    cfg["countries"] = [c for c in cfg["countries"] if c["code"] in COUNTRIES]
    cfg["rounds"] = [r for r in cfg["rounds"] if r["id"] in ROUNDS]
    (work / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    for path in (work / "raw").rglob("*.csv"):
        if path.parent == work / "raw":
            continue  # not per country (raw/comparative_conclusions.csv)
        round_dir = path.parent.name
        if path.stem not in COUNTRIES or (path.parent.parent.name == "evidence" and round_dir not in ROUNDS):
            path.unlink()
    shutil.rmtree(work / "raw" / "evidence" / "2017", ignore_errors=True)
    return work


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    work = tiny_project(tmp_path_factory.mktemp("tiny"))
    snakemake(work, "tables")
    return work


def test_builds_typed_tables_with_descriptions(tiny):
    table = pq.read_table(tiny / "results" / "dimension_scores.parquet")
    assert table.num_rows == len(COUNTRIES) * len(ROUNDS) * 12
    assert sorted(set(table.column("country").to_pylist())) == COUNTRIES
    field = table.schema.field("score")
    assert str(field.type) == "double"
    assert b"description" in field.metadata
    assert b"ILLUSTRATIVE" in table.schema.metadata[b"niem"]
    overall = pq.read_table(tiny / "results" / "overall_scores.parquet").to_pylist()
    assert all(0 <= r["score"] <= 100 and 0 < r["coverage"] <= 1 for r in overall)


def test_second_run_has_nothing_to_do(tiny):
    proc = snakemake(tiny, "tables")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_changing_one_country_reruns_only_its_jobs(tiny):
    time.sleep(1.1)
    path = tiny / "raw" / "evidence" / "2021" / "BG.csv"
    path.write_text(path.read_text().replace("answer revised since the previous round", "answer revised (reviewed)", 1))
    proc = snakemake(tiny, "tables", "--dry-run")
    jobs = proc.stdout + proc.stderr
    assert re.search(r"country_tables\s+1\b", jobs), jobs
    proc = snakemake(tiny, "tables")
    log = proc.stdout + proc.stderr
    assert "country=BG" in log and "country=CZ" not in log
