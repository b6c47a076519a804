"""Data-availability audits: counts on a hand-made fixture, the BIP statistics classes, and the
seed's finding that about a quarter of Hungary's 168 indicators (2021) are 'no data'."""

import pandas as pd
import pytest

from analysis_fixtures import one_row
from conftest import ROOT
from niem.analysis.audit import availability_audit, availability_change, bip_statistics_availability, indicator_availability
from niem.inputs.codebook import load_codebook
from niem.inputs.evidence import load_evidence
from niem.scoring.rules import indicator_rows

COUNTS = ["n_indicators", "n_answered", "n_no_data", "n_not_applicable", "n_unanswered"]


def rows(country, round_, kind, step, statuses):
    code = {"scored": "L", "statistical": "S"}[kind]
    return [{"country": country, "round": round_, "indicator_id": f"A-{code}{k:02d}", "dimension": "alpha",
             "step": step, "kind": kind, "status": s} for k, s in enumerate(statuses, start=1)]


@pytest.fixture
def fixture_rows():
    return pd.DataFrame(
        rows("XX", "2019", "scored", "legal", ["answered", "answered", "no_data"])
        + rows("XX", "2019", "statistical", None, ["answered", "no_data", "not_applicable"])
        + rows("XX", "2021", "scored", "legal", ["answered", "answered", "answered"])
        + rows("XX", "2021", "statistical", None, ["no_data", "no_data", "unanswered"])
        + rows("YY", "2019", "scored", "legal", ["no_data", "no_data", "not_applicable"])
        + rows("YY", "2019", "statistical", None, ["no_data", "no_data", "no_data"]))


def test_audit_counts(fixture_rows):
    a = availability_audit(fixture_rows)
    assert len(a) == 6 and list(a.columns[:5]) == ["country", "round", "dimension", "step", "kind"]
    stat = one_row(a, country="XX", round="2019", kind="statistical", step=None)
    assert [stat[c] for c in COUNTS] == [3, 1, 1, 1, 0]
    assert stat["share_with_data"] == pytest.approx(0.5)      # 1 of the 2 applicable
    legal = one_row(a, country="XX", round="2019", kind="scored")
    assert [legal[c] for c in COUNTS] == [3, 2, 1, 0, 0] and legal["share_with_data"] == pytest.approx(2 / 3)
    late = one_row(a, country="XX", round="2021", kind="statistical")
    assert [late[c] for c in COUNTS] == [3, 0, 2, 0, 1] and late["share_with_data"] == 0.0
    yy = one_row(a, country="YY", kind="scored")
    assert yy["n_not_applicable"] == 1 and yy["share_with_data"] == 0.0


def test_share_with_data_null_when_nothing_applies():
    df = pd.DataFrame(rows("XX", "2019", "scored", "legal", ["not_applicable", "not_applicable"]))
    assert pd.isna(availability_audit(df)["share_with_data"].iloc[0])


def test_indicator_availability(fixture_rows):
    ia = indicator_availability(fixture_rows, {"A-S01": "outcomes", "A-S02": "outcomes", "A-S03": "procedures"})
    s3 = one_row(ia, round="2019", indicator_id="A-S03")
    # asked in XX and YY; XX not applicable, YY no data -> 1 of 1 applicable country lacks data
    assert (s3["n_countries"], s3["n_with_data"], s3["n_no_data"], s3["theme"]) == (2, 0, 1, "procedures")
    assert s3["share_no_data"] == 1.0
    l1 = one_row(ia, round="2019", indicator_id="A-L01")
    assert (l1["n_countries"], l1["n_with_data"], l1["n_no_data"], l1["share_no_data"]) == (2, 1, 1, 0.5)
    assert pd.isna(l1["theme"])


def test_availability_change(fixture_rows):
    ch = availability_change(fixture_rows, ["2019", "2021"])
    assert set(ch["country"]) == {"XX"}  # YY has no 2021 round
    stat = one_row(ch, kind="statistical")
    assert (stat["share_with_data_from"], stat["share_with_data_to"]) == (0.5, 0.0) and stat["change"] == -0.5
    everything = one_row(ch, kind="all")
    # 2019: 3 answered of 5 applicable; 2021: 3 of 6
    assert everything["share_with_data_from"] == pytest.approx(3 / 5) and everything["share_with_data_to"] == pytest.approx(0.5)
    assert everything["change"] == pytest.approx(0.5 - 0.6)


BIP_COLUMNS = ["country", "measure", "slot", "reference_as_printed", "value", "unit", "value_as_printed", "status",
               "basis", "qualifier", "source", "note"]


def test_bip_statistics_availability():
    bip = pd.DataFrame([
        ["HU", "number", "2017", "31 Dec 2016", 4200.0, "persons", "4 200", "reported", "stock", None, "src", ""],
        ["HU", "share_non_citizens", "2017", "2016", None, "percent", "", "no_data", "unknown", None, "src", "not collected"],
        ["IT", "number", "2019", "2018", 12000.0, "persons", "12,000", "reported", "flow", None, "src", "decisions in 2018"],
        ["IT", "share_population", "2019", "2018", 0.5, "percent", "< 0.5", "upper_bound", "unknown", None, "src", None],
        ["SE", "number", "2021", "2020", 250000.0, "persons", "approx. 250 000", "reported", "stock", "Estimate", "src", ""],
        ["SE", "share_population", "2021", "2020", 2.4, "percent", "2.4", "revised", "stock", "", "src", ""],
    ], columns=BIP_COLUMNS)
    out = bip_statistics_availability(bip)
    assert list(out.columns) == ["country", "measure", "slot", "availability", "basis", "note"]
    assert out["availability"].tolist() == ["present", "no_data", "flow", "upper_bound", "estimate", "revised"]
    assert [None if pd.isna(n) else n for n in out["note"]] == [None, "not collected", "decisions in 2018", None, "Estimate", None]


def test_hungary_quarter_of_indicators_no_data_2021():
    """Seed finding (NIEM Project Summary, Hungary): about a quarter of the 168 indicators (2021)
    are unavailable; recomputed with the audit on the pipeline's own 2021 evidence for Hungary."""
    codebook = load_codebook(ROOT / "config" / "codebook.yaml")
    answers = load_evidence(ROOT / "raw" / "evidence" / "2021" / "HU.csv", codebook, "2021")
    ind = pd.DataFrame([{"country": "HU", "round": "2021", **r} for r in indicator_rows(codebook, "2021", answers)])
    audit = availability_audit(ind)
    total = audit[COUNTS].sum()
    assert total["n_indicators"] == 168
    assert total["n_no_data"] / total["n_indicators"] == pytest.approx(0.25, abs=0.03)
