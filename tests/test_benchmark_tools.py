"""The benchmark helpers (benchmarks/, cluster/compare_results.py); fast, no full workflow run."""

import csv
import io
import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from workflow_helpers import snakemake

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "cluster"))

from benchmark import TARGETS, edit_one_note, engines_to_run, scaling_verdict, verdicts, work_bound  # noqa: E402
from compare_results import compare  # noqa: E402
from make_synthetic_project import asked, make_synthetic_project, read_csv_with_comments, round_ids, unit_codes  # noqa: E402

CODE = re.compile(r"[A-Z]{2}(?:-[A-Z0-9]{1,3})?")


def test_synthetic_project_3x2_is_labelled_valid_and_accepted_by_the_workflow(tmp_path):
    work = tmp_path / "synthetic"
    out = make_synthetic_project(work, 3, 2, seed=1)
    config_text = (work / "config" / "config.yaml").read_text()
    assert config_text.startswith("# SYNTHETIC")
    config = yaml.safe_load(config_text)
    codes = [c["code"] for c in config["countries"]]
    assert codes == out["countries"] == ["XS-001", "XS-002", "XS-003"]
    assert all(CODE.fullmatch(c) for c in codes)
    assert all(c["name"].startswith("Synthetic unit") for c in config["countries"])
    assert [r["id"] for r in config["rounds"]] == ["2017", "2019"]
    codebook = yaml.safe_load((work / config["codebook"]).read_text())
    raw_files = sorted(p for p in (work / "raw").rglob("*.csv"))
    assert len([p for p in raw_files if "evidence" in p.parts]) == 6
    for path in raw_files:
        comments, fields, rows = read_csv_with_comments(path)
        assert comments and "SYNTHETIC" in comments[0], path
        assert path.stem in codes or path.name == "comparative_conclusions.csv"  # the one file for all units
        if "evidence" in path.parts:
            allowed = {i["id"] for i in codebook["indicators"] if asked(i, path.parent.name)}
            ids = [r["indicator_id"] for r in rows]
            assert ids and set(ids) <= allowed and len(ids) == len(set(ids))
        else:
            assert fields and not rows  # header-only stand-ins
    proc = snakemake(work, "--dry-run")
    assert "country_tables" in proc.stdout


def test_round_ids_and_unit_codes_extend_past_the_source():
    assert round_ids(["2017", "2019", "2021"], 5) == ["2017", "2019", "2021", "2023", "2025"]
    assert round_ids(["2017", "2019", "2021"], 2) == ["2017", "2019"]
    codes = unit_codes(1000)
    assert codes[0] == "XS-001" and codes[998] == "XS-999" and codes[999] == "XT-001"
    assert len(set(codes)) == 1000 and all(CODE.fullmatch(c) for c in codes)


def test_edit_one_note_changes_one_note_only(tmp_path):
    path = tmp_path / "BG.csv"
    text = ("# ILLUSTRATIVE\n# second comment\nindicator_id,answer,source,note\n"
            "A-L01,yes,src,\nA-L02,\"1,5\",\"a, b\",old note\nA-P01,no,,another\n")
    path.write_text(text)
    what = edit_one_note(path)
    new = path.read_text()
    assert "A-L02" in what
    changed = [(a, b) for a, b in zip(text.splitlines(), new.splitlines()) if a != b]
    assert len(changed) == 1 and len(new.splitlines()) == len(text.splitlines())
    rows = list(csv.DictReader(io.StringIO("".join(new.splitlines(keepends=True)[2:]))))
    assert rows[1]["answer"] == "1,5" and rows[1]["note"] == "old note (benchmark edit)" and rows[2]["note"] == "another"


def test_work_bound_spreads_the_job_seconds_over_the_cores():
    # Snakemake starts at 0 and ends at 10; jobs of 3 + 2 + 1 s run between 1 and 9
    jobs = [{"rule": "a", "start": 1.0, "end": 4.0, "trace": None, "compute": None},
            {"rule": "b", "start": 4.0, "end": 6.0, "trace": None, "compute": None},
            {"rule": "c", "start": 8.0, "end": 9.0, "trace": None, "compute": None}]
    run = {"jobs": jobs, "t0": 0.0, "t1": 10.0, "wall_s": 10.0}
    assert work_bound(run, 1, 16.0) == {"job_s": 6.0, "wall_s": 1.0 + 6.0 + 1.0, "share_of_full": 0.5}
    assert work_bound(run, 2, 20.0) == {"job_s": 6.0, "wall_s": 1.0 + 3.0 + 1.0, "share_of_full": 0.25}


def test_scaling_verdict_tells_linear_from_superlinear():
    linear = scaling_verdict([(42, 10 + 0.1 * 42), (150, 10 + 0.1 * 150), (600, 10 + 0.1 * 600)])
    assert linear["passed"] is True
    assert abs(linear["linear_fit"]["s_per_country_round"] - 0.1) < 1e-9 and abs(linear["linear_fit"]["fixed_s"] - 10) < 1e-9
    quadratic = scaling_verdict([(42, 0.01 * 42 ** 2), (150, 0.01 * 150 ** 2), (600, 0.01 * 600 ** 2)])
    assert quadratic["passed"] is False and abs(quadratic["last_slope"] - 2) < 1e-9
    assert scaling_verdict([(42, 5.0)])["passed"] is None


def test_quarto_is_skipped_with_a_note_when_absent():
    assert engines_to_run("pandoc,quarto", which=lambda name: None) == (["pandoc"], {"quarto": "skipped: no `quarto` on PATH"})
    assert engines_to_run("pandoc,quarto", which=lambda name: "/bin/" + name) == (["pandoc", "quarto"], {})


def _bench_result(pandoc_full, quarto_full, one, big=None, quarto=True):
    engine = lambda full: {"full": {"wall_s": full, "reports": 30}, "noop": {"wall_s": 1.0, "nothing_to_do": True},
                           "one_country": {"wall_s": one, "share_of_full": one / full}}
    engines = {"pandoc": engine(pandoc_full), **({"quarto": engine(quarto_full)} if quarto else {})}
    scale = [{"countries": 100, "rounds": 6, "wall_s": big[0], "one_country_s": big[1], "one_country_share": big[1] / big[0]}] if big else []
    return {"engine": "pandoc", "engines": engines, "scale": scale, "scaling": {},
            "skipped_engines": {} if quarto else {"quarto": "skipped: no `quarto` on PATH"}}


def test_verdicts_follow_the_restated_targets():
    assert TARGETS["one_country_share"] == 0.45 and TARGETS["quarto_full_ratio"] == 2.0
    by_start = lambda v: {k.split(" <=")[0]: x["passed"] for k, x in v.items()}
    ok = by_start(verdicts(_bench_result(30.0, 59.0, 13.0, big=(280.0, 120.0)), 30))
    assert ok["full rebuild 14x3 with all reports"] and ok["no-op re-run"] and ok["one-country rebuild"]
    assert ok["one-country rebuild at 100x6"] and ok["Quarto full rebuild"]
    bad = by_start(verdicts(_bench_result(30.0, 61.0, 14.0, big=(280.0, 130.0)), 30))
    assert not bad["one-country rebuild"] and not bad["one-country rebuild at 100x6"] and not bad["Quarto full rebuild"]
    absent = verdicts(_bench_result(30.0, None, 13.0, quarto=False), 30)
    quarto = next(v for k, v in absent.items() if k.startswith("Quarto"))
    assert quarto == {"passed": None, "detail": "skipped: no `quarto` on PATH"}
    assert next(v for k, v in absent.items() if "100x6" in k)["passed"] is None


def test_compare_results_finds_equal_and_different_tables(tmp_path, capsys):
    for name, value in (("a", 1.0), ("b", 1.0), ("c", 2.0)):
        (tmp_path / name / "results").mkdir(parents=True)
        pq.write_table(pa.table({"score": [value]}), tmp_path / name / "results" / "overall_scores.parquet")
    assert compare(tmp_path / "a", tmp_path / "b") == 0
    assert compare(tmp_path / "a", tmp_path / "c") == 1
    assert "DIFFERENT: results/overall_scores.parquet" in capsys.readouterr().out
