import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from niem.inputs.codebook import build_codebook  # noqa: E402


def tiny_codebook_data():
    """Two scored dimensions in two areas, three steps, and one statistical indicator.

    alpha/legal: A-L01 (yes 100 / partly 50 / no 0), A-L02 (numeric months, best 0, worst 10)
    alpha/policy: A-P01 ; alpha/implementation: A-I01 ; beta: one indicator per step.
    """
    yn = {"scale": "ypn"}
    ind = lambda i, d, s, a=yn, k="scored", **kw: dict(id=i, dimension=d, step=s, kind=k, question=f"Question {i}?",
                                                      answer=a, theme=kw.get("theme"), introduced=kw.get("introduced", "2017"),
                                                      retired_after=kw.get("retired_after"))
    return {
        "codebook_version": "test", "title": "tiny", "description": "tiny test codebook",
        "areas": [{"id": "one", "name": "Area one"}, {"id": "two", "name": "Area two"}],
        "dimensions": [{"id": "alpha", "code": "A", "name": "Alpha", "area": "one", "scored": True},
                       {"id": "beta", "code": "B", "name": "Beta", "area": "two", "scored": True}],
        "steps": [{"id": "legal", "code": "L", "name": "Legal"}, {"id": "policy", "code": "P", "name": "Policy"},
                  {"id": "implementation", "code": "I", "name": "Implementation"}],
        "scales": {"ypn": {"description": "yes/partly/no", "options": [
            {"value": "yes", "points": 100, "label": "Yes"}, {"value": "partly", "points": 50, "label": "Partly"},
            {"value": "no", "points": 0, "label": "No"}]}},
        "indicators": [
            ind("A-L01", "alpha", "legal"),
            ind("A-L02", "alpha", "legal", {"type": "number", "unit": "months", "min": 0, "max": 120, "best": 0, "worst": 10}),
            ind("A-P01", "alpha", "policy"), ind("A-I01", "alpha", "implementation"),
            ind("B-L01", "beta", "legal"), ind("B-P01", "beta", "policy"), ind("B-I01", "beta", "implementation"),
            ind("B-P02", "beta", "policy", retired_after="2017"),
            ind("A-S01", "alpha", None, {"type": "number", "unit": "count", "min": 0, "max": None}, k="statistical", theme="bip_statistics"),
        ],
    }


@pytest.fixture
def tiny_codebook():
    return build_codebook(tiny_codebook_data())


@pytest.fixture(scope="session")
def full_project(tmp_path_factory):
    """The whole shipped project (14 countries x 3 rounds) built once, reports included, in a copy
    (tests never touch the checkout's results/ or reports/). Under pytest-xdist the workers share
    one build (in the run's common temporary folder, behind a lock); tests only read it, and copy
    it before changing anything."""
    from workflow_helpers import copy_project, shared_once, snakemake

    def build(work):
        copy_project(work)
        snakemake(work, "all")

    return shared_once(tmp_path_factory, "full_project", build)


@pytest.fixture(scope="session")
def tiny_built(tmp_path_factory):
    """The tiny project (2 countries x 2 rounds, tests/test_workflow.py) built once with rule all,
    shared by the modules that need a whole build (determinism, archive). Read-only: copy it
    (shutil.copytree(..., symlinks=True), which keeps file times) before changing anything."""
    from test_workflow import tiny_project
    from workflow_helpers import shared_once, snakemake

    def build(work):
        tiny_project(work)
        snakemake(work)

    return shared_once(tmp_path_factory, "tiny_built", build)
