"""End to end through Snakemake, on the tiny 2-country x 2-round project: bad input stops the run
with a clean message and leaves no output of the failed job; crafted targets are refused; a run
killed with SIGKILL finishes on the plain rerun with byte-identical outputs; a second run at once
is refused. See docs/validation.md."""

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from test_workflow import tiny_project
from workflow_helpers import snakemake

pytestmark = pytest.mark.workflow

# The runs here build the results (tables, queue, analysis) but not the reports: the interruptions
# happen in the per-country jobs, and the reports' determinism and reruns are tested on whole builds
# elsewhere (test_determinism.py, test_reports.py); a report build would triple each run's time.
TARGETS = ("tables", "quality", "analysis")


def outputs(work: Path) -> dict[str, bytes]:
    """Every file under results/, hidden ones included (a stray temporary file would show)."""
    return {str(p.relative_to(work)): p.read_bytes() for p in sorted((work / "results").rglob("*")) if p.is_file()}


def assert_same_outputs(work: Path, clean: Path) -> None:
    got, want = outputs(work), outputs(clean)
    differ = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
    assert not differ, f"outputs differing from an uninterrupted run: {differ}"


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    work = tiny_project(tmp_path_factory.mktemp("clean"))
    snakemake(work, *TARGETS)
    return work


def start(work: Path, log: Path) -> subprocess.Popen:
    """Start `snakemake --cores 2` in its own process group (so the whole group can be killed)."""
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", "--directory", str(work), "--snakefile", str(work / "Snakefile"),
           *TARGETS]
    with open(log, "w") as fh:
        return subprocess.Popen(cmd, cwd=work, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(condition, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, "the run ended before the moment to interrupt it"
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_full_run_builds_the_queue_and_is_then_up_to_date(clean):
    for r in ("2019", "2021"):
        table = pd.read_parquet(clean / "results" / "clarification" / f"{r}.parquet")
        text = (clean / "results" / "clarification" / f"{r}.csv").read_text(encoding="utf-8")
        assert text.startswith("\ufeffcountry,round,indicator_id,")
        assert set(table["round"]) <= {r} and set(table["status"]) <= {"open"}
        assert len(pd.read_csv(clean / "results" / "clarification" / f"{r}.csv", encoding="utf-8-sig", dtype=str)) == len(table)
    summary = pd.read_parquet(clean / "results" / "clarification_summary.parquet")
    assert len(summary) == 2 * 2 * 6 and summary["n_items"].sum() > 0
    proc = snakemake(clean, *TARGETS)
    assert "Nothing to be done" in proc.stdout + proc.stderr


# --- hard errors ------------------------------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first line containing ``old``; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if old in line)
    lines[n] = lines[n].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    return n + 1


def _set_answer(path: Path, indicator_id: str, answer: str) -> int:
    """Give ``indicator_id`` a new answer in an evidence file; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith(indicator_id + ","))
    fields = next(csv.reader([lines[n]]))
    fields[1] = answer
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(fields)
    lines[n] = buf.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    return n + 1


def _break_answers(work: Path) -> tuple[str, list[str]]:
    evidence = work / "raw" / "evidence" / "2021" / "BG.csv"
    bad_option = _set_answer(evidence, "MS-L02", "maybe")
    not_a_number = _set_answer(evidence, "MS-L04", "12,5")
    return "BG", ["Invalid input in raw/evidence/2021/BG.csv (2 problems):",
                  f"  line {bad_option}, field 'answer': 'maybe' is not an answer option of MS-L02",
                  f"  line {not_a_number}, field 'answer': '12,5' is not a number"]


def _break_encoding(work: Path) -> tuple[str, list[str]]:
    evidence = work / "raw" / "evidence" / "2019" / "CZ.csv"
    evidence.write_bytes(evidence.read_text(encoding="utf-8").encode("utf-16"))
    return "CZ", ["Invalid input in raw/evidence/2019/CZ.csv (1 problem):\n  line 1: file is UTF-16 encoded; expected UTF-8"]


@pytest.mark.parametrize("breakage", [_break_answers, _break_encoding])
def test_bad_evidence_stops_the_job_leaves_none_of_its_outputs_and_keeps_failing(clean, tmp_path, breakage):
    work = shutil.copytree(clean, tmp_path / "w", symlinks=True)
    country, messages = breakage(work)
    other = next(c for c in ("BG", "CZ") if c != country)
    for attempt in (1, 2):  # the second run must not take the older combined files for up to date
        proc = snakemake(work, *TARGETS, check=False)
        assert proc.returncode != 0, f"run {attempt} passed"
        assert all(m in proc.stderr for m in messages), proc.stderr[-3000:]
        assert "Traceback" not in proc.stderr
        assert not [p for p in (work / "results" / "countries" / country).rglob("*") if p.is_file()], "no output of the failed job"
        assert (work / "results" / "countries" / other / "indicator_scores.parquet").exists()


PARSE_ERRORS = {
    "unsafe_yaml_tag": ("config/config.yaml", "codebook: config/codebook.yaml", 'codebook: !!python/object/apply:os.system ["touch PWNED"]',
                        "field 'codebook': YAML tag '!!python/object/apply:os.system' is not allowed"),
    "bad_country_code": ("config/config.yaml", "code: CZ", "code: cz", "field 'countries[1].code': 'cz' is not valid; expected an ISO 3166-1"),
    "missing_raw_file": ("raw/evidence/2021/CZ.csv", None, None, "Invalid input in raw/evidence/2021/CZ.csv (1 problem):\n  file: missing raw file"),
    "unknown_country_file": ("raw/evidence/2021/HU.csv", None, "", "raw/evidence/2021/HU.csv (1 problem):\n  file: raw file for country 'HU'"),
    "unknown_round_file": ("raw/evidence/2017/BG.csv", None, "", "raw/evidence/2017/BG.csv (1 problem):\n  file: raw file for round '2017'"),
}


@pytest.mark.parametrize("case", list(PARSE_ERRORS))
def test_config_and_raw_file_errors_stop_before_any_job_without_traceback(case, tmp_path):
    work = tiny_project(tmp_path / "w")
    name, old, new, expected = PARSE_ERRORS[case]
    path = work / name
    if old is not None:
        line = _edit(path, old, new)
        expected = f"Invalid input in {name} (1 problem):\n  line {line}, " + expected
    elif new is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("indicator_id,answer,source,note\n")
    proc = snakemake(work, check=False)
    assert proc.returncode == 1
    assert expected in proc.stderr, proc.stderr
    assert "Nothing was run" in proc.stderr and "Traceback" not in proc.stderr and 'File "' not in proc.stderr
    assert not (work / "results").exists() and not (work / "PWNED").exists()


def test_codebook_error_stops_the_run_and_leaves_no_compiled_codebook(tmp_path):
    work = tiny_project(tmp_path / "w")
    line = _edit(work / "config" / "codebook.yaml", "  dimension: reception", "  dimension: recepton")
    proc = snakemake(work, check=False)
    assert proc.returncode != 0
    assert "Invalid input in config/codebook.yaml (1 problem):" in proc.stderr
    assert f"  line {line}, field 'indicators[0].dimension': REC-D01: unknown dimension 'recepton'" in proc.stderr
    assert not [p for p in (work / "results").rglob("*") if p.is_file()]


@pytest.mark.parametrize("target", [
    "results/countries/../../x/indicator_scores.parquet",
    "results/countries/BG/../../../escape/indicator_scores.parquet",
    "results/countries/bg/indicator_scores.parquet",
    "results/countries/HU/indicator_scores.parquet",   # well-formed, but not a configured country
    "results/clarification/2017.csv",                  # not a configured round
])
def test_crafted_targets_are_refused(target, tmp_path):
    work = tiny_project(tmp_path / "w")
    proc = snakemake(work, target, check=False)
    assert proc.returncode != 0 and "No rule to produce" in proc.stderr
    assert not (work / "results").exists() and not (work / "x").exists() and not (tmp_path / "escape").exists()


# --- crash and retry ---------------------------------------------------------------------------

def _locked(work: Path) -> bool:
    return any((work / ".snakemake" / "locks").glob("*.lock"))


KILL_MOMENTS = {
    "jobs_started": lambda work: _locked(work) and (work / "logs" / "country_tables").is_dir(),
    # first output of the 7-output country job written: the job is most likely still writing
    "outputs_half_written": lambda work: _locked(work) and any((work / "results" / "countries").glob("*/indicator_scores.parquet")),
}


@pytest.mark.parametrize("moment", list(KILL_MOMENTS))
def test_killed_run_finishes_on_plain_rerun_with_identical_outputs(clean, tmp_path, moment):
    work = tiny_project(tmp_path / "w")
    proc = start(work, tmp_path / "killed.log")
    wait_for(lambda: KILL_MOMENTS[moment](work), proc)
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    killed_log = (tmp_path / "killed.log").read_text()[-2000:]
    assert _locked(work), ("the killed run left Snakemake's lock", killed_log)
    assert not (work / "results" / "clarification_summary.parquet").exists(), killed_log
    rerun = snakemake(work, *TARGETS)  # the documented command: no --unlock, no --rerun-incomplete
    assert "Removed the Snakemake directory lock left by an interrupted run" in rerun.stderr
    assert_same_outputs(work, clean)
    third = snakemake(work, *TARGETS).stderr
    assert "Nothing to be done" in third, third[-2000:]


def test_output_of_an_interrupted_job_is_rebuilt(clean, tmp_path):
    """The state a kill in the middle of a multi-output job leaves (some outputs written, the job
    marked incomplete) is rebuilt by the plain rerun (profiles/default: rerun-incomplete)."""
    import base64

    work = shutil.copytree(clean, tmp_path / "w", symlinks=True)
    target = work / "results" / "countries" / "BG" / "step_scores.parquet"
    target.write_bytes(b"stale")  # written by an older run: must not survive
    marker = base64.b64encode(b"results/countries/BG/step_scores.parquet").decode()  # Snakemake's marker name
    (work / ".snakemake" / "incomplete" / marker).touch()
    proc = snakemake(work, *TARGETS)
    assert "country_tables" in proc.stderr
    assert_same_outputs(work, clean)


def test_second_run_at_once_is_refused_and_first_completes(clean, tmp_path):
    work = tiny_project(tmp_path / "w")
    first = start(work, tmp_path / "first.log")
    lock = work / ".snakemake" / "niem-run.lock"
    wait_for(lambda: lock.exists() and f"pid {first.pid}," in lock.read_text(), first)
    second = snakemake(work, *TARGETS, check=False)
    assert second.returncode == 1, (second.stderr[-2000:], first.poll())
    assert f"Another run of this workflow is active in {work.resolve()} (pid {first.pid}," in second.stderr
    assert first.wait(timeout=120) == 0, (tmp_path / "first.log").read_text()[-3000:]
    assert_same_outputs(work, clean)
