"""The analysis stage end to end on the tiny fixture project (2 countries x 2 rounds): every table
is built, typed, self-documenting and marked ILLUSTRATIVE, and a second run has nothing to do."""

import pyarrow.parquet as pq
import pytest

from niem.tables import TABLES
from test_workflow import tiny_project
from workflow_helpers import snakemake

pytestmark = pytest.mark.workflow

ANALYSIS_TABLES = ["availability_audit", "indicator_availability", "availability_change", "change_drivers",
                   "change_models", "paired_tests", "convergence", "country_change_intervals",
                   "robustness_scores", "robustness_choices"]


def test_analysis_tables_registered_with_descriptions():
    for name in ANALYSIS_TABLES + ["bip_statistics_availability"]:
        spec = TABLES[name]
        assert spec.description and all(desc.strip() for _, _, desc in spec.columns), name


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    work = tiny_project(tmp_path_factory.mktemp("tiny_analysis"))
    snakemake(work, "analysis")
    return work


def test_builds_every_analysis_table(tiny):
    for name in ANALYSIS_TABLES:
        table = pq.read_table(tiny / "results" / f"{name}.parquet")
        assert table.num_rows > 0, name
        assert table.schema.names == TABLES[name].column_names, name
        assert b"ILLUSTRATIVE" in table.schema.metadata[b"niem"], name
        assert all(b"description" in table.schema.field(c).metadata for c in table.schema.names), name
    robust = pq.read_table(tiny / "results" / "robustness_scores.parquet").to_pylist()
    assert len(robust) == 2 * 2 * 13 and all(r["n_draws"] == 10000 for r in robust)
    assert {r["rank_baseline"] for r in robust} <= {1.0, 1.5, 2.0}
    intervals = pq.read_table(tiny / "results" / "country_change_intervals.parquet").to_pylist()
    assert {(r["country"], r["level"]) for r in intervals} >= {("BG", "overall"), ("CZ", "overall")}


def test_second_run_has_nothing_to_do(tiny):
    proc = snakemake(tiny, "analysis")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_bip_statistics_availability_from_the_real_tables(tiny):
    rows = pq.read_table(tiny / "results" / "bip_statistics_availability.parquet").to_pylist()
    by_country = {}
    for r in rows:
        by_country.setdefault(r["country"], set()).add(r["availability"])
    assert by_country["BG"] == {"no_data"}  # Bulgaria prints "no data" in every cell
    assert "present" in by_country["CZ"]
