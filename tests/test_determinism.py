"""Two clean builds of the same inputs in two different folders give byte-identical outputs:
every file under results/ and reports/ has the same sha256 (issue 6, item 1). The first build ran
its jobs in the warm worker (the default), the second each job in its own process
(``warm_worker=false``): the worker must not change a byte either (niem/run/warm.py)."""

from pathlib import Path

import pytest

from niem.archive.round_archive import tree_digests
from test_workflow import tiny_project
from workflow_helpers import snakemake

pytestmark = pytest.mark.workflow


def build(dest, *args):
    work = tiny_project(dest)
    snakemake(work, *args)  # rule all
    return work


def warm_jobs(work: Path) -> int:
    """Jobs whose log says they ran in the warm worker (niem/run/runner.py)."""
    return sum("(warm worker)" in log.read_text(encoding="utf-8") for log in (work / "logs").rglob("*.log"))


def test_two_clean_builds_in_different_folders_are_byte_identical(tiny_built, tmp_path_factory):
    first = tiny_built  # the session's clean build (conftest.py), made in another folder
    second = build(tmp_path_factory.mktemp("second") / "somewhere" / "else", "--config", "warm_worker=false")
    assert warm_jobs(first) > 0 and warm_jobs(second) == 0
    digests = [{**tree_digests(w, "results"), **tree_digests(w, "reports")} for w in (first, second)]
    assert digests[0], "the build produced no files"
    assert any(p.endswith(".parquet") for p in digests[0])
    differing = sorted(p for p in digests[0].keys() | digests[1].keys() if digests[0].get(p) != digests[1].get(p))
    assert not differing, "files that differ between the two builds: " + ", ".join(differing)
