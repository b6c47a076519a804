"""The comparative analysis: tables and generated sentences, every number checked against the
fixture tables it was computed from."""

import re

import pandas as pd
import pytest

from niem.reports import comparisons as cmp
from niem.reports.content import Labels

CODEBOOK = {"areas": [{"id": "general", "name": "General conditions"}, {"id": "legal", "name": "Legal integration"}],
            "dimensions": [{"id": "mainstreaming", "name": "Mainstreaming", "area": "general", "scored": True},
                           {"id": "residency", "name": "Residency", "area": "legal", "scored": True},
                           {"id": "family_reunification", "name": "Family reunification", "area": "legal", "scored": True}],
            "steps": [{"id": "legal", "name": "Setting the legal framework"}, {"id": "policy", "name": "Building the policy framework"},
                      {"id": "implementation", "name": "Implementation & collaboration"}]}
ROUNDS = [{"id": "2019", "label": "E1"}, {"id": "2021", "label": "E2"}]
LABELS = Labels(CODEBOOK, ROUNDS, {"AA": "Aland", "BB": "Borduria", "CC": "Carpania"})
NAMES = {"mainstreaming": "Mainstreaming", "residency": "Residency", "family_reunification": "Family unity and reunification"}
DIMS = {("AA", "mainstreaming"): (40, 50), ("AA", "residency"): (60, 70), ("AA", "family_reunification"): (55, 55),
        ("BB", "mainstreaming"): (20, 22), ("BB", "residency"): (30, 25), ("BB", "family_reunification"): (45, 47),
        ("CC", "mainstreaming"): (70, 64), ("CC", "residency"): (50, 52), ("CC", "family_reunification"): (50, 49)}
AREA = {"mainstreaming": "general", "residency": "legal", "family_reunification": "legal"}


def tables(dims=DIMS):
    d = pd.DataFrame([{"country": c, "round": r, "area": AREA[dim], "dimension": dim, "score": v[i]}
                      for (c, dim), v in dims.items() for i, r in enumerate(["2019", "2021"])])
    overall = d.groupby(["country", "round"], as_index=False)["score"].mean()
    areas = d.groupby(["country", "round", "area"], as_index=False)["score"].mean()
    steps = pd.DataFrame([{"country": c, "round": r, "step": s, "score": o + k}
                          for c, r, o in overall[["country", "round", "score"]].itertuples(index=False)
                          for s, k in (("legal", 15.0), ("policy", 0.0), ("implementation", -12.0 if c != "BB" else 20.0))])
    w = d.pivot_table(index=["country", "dimension"], columns="round", values="score").reset_index()
    change = pd.DataFrame({"country": w["country"], "from_round": "2019", "to_round": "2021", "level": "dimension",
                           "dimension": w["dimension"], "score_from": w["2019"], "score_to": w["2021"], "change": w["2021"] - w["2019"]})
    change["change_class"] = change["change"].map(lambda x: "improved" if x >= 2 else "declined" if x <= -2 else "stable")
    return overall, areas, d, steps, change


def numbers(text):
    """The numbers a sentence prints, besides round years and the interval's level ("95% interval")."""
    text = text.replace("95% interval", "interval")
    return [float(x) for x in re.findall(r"[+-]?\d+(?:\.\d+)?", text) if x not in {"2019", "2021"}]


def test_step_comparison_average_and_gap():
    _, _, _, steps, _ = tables()
    t = cmp.step_comparison(steps, "2021", ["AA", "BB", "CC"])
    avg = t[t["country"] == cmp.AVERAGE].iloc[0]
    part = steps[steps["round"] == "2021"]
    assert avg["legal"] == pytest.approx(part[part["step"] == "legal"]["score"].mean())
    assert avg["gap"] == pytest.approx(avg["legal"] - avg["implementation"])
    bb = t[t["country"] == "BB"].iloc[0]
    assert bb["gap"] == pytest.approx(-5.0)  # legal +15, implementation +20 around BB's overall score


def test_every_number_in_the_findings_is_a_table_value():
    overall, areas, dims, steps, _ = tables()
    found = {f.topic: f for f in cmp.written_findings(overall, areas, dims, steps, LABELS, NAMES)}
    assert set(found) == {"overall", "area:general", "area:legal", "spread", "steps", "movers", "convergence"}
    for f in found.values():  # the numbers printed are the values carried, formatted
        assert numbers(f.text) == [pytest.approx(round(v, 1), abs=0.051) for _, v in f.values], f
    latest = overall[overall["round"] == "2021"].set_index("country")["score"]
    assert "Aland had the highest overall score" in found["overall"].text
    assert found["overall"].values[0][1] == latest.max() and found["overall"].values[1][1] == latest.min()
    spread = dims[dims["round"] == "2021"].groupby("dimension")["score"].agg(lambda s: s.max() - s.min())
    assert "Countries differ most in Residency" in found["spread"].text and found["spread"].values[0][1] == spread.max()
    assert "weakest step in 2021 is Implementation & collaboration" in found["steps"].text
    assert "below the law in 2 of 3 countries" in found["steps"].text
    sd = overall.pivot(index="country", columns="round", values="score").std()
    assert found["convergence"].values == (("sd", sd["2019"]), ("sd", sd["2021"]))


def test_changing_a_score_changes_the_sentence():
    before = {f.topic: f.text for f in cmp.written_findings(*tables()[:4], LABELS, NAMES)}
    dims = dict(DIMS)
    dims[("BB", "residency")] = (30, 95)  # Borduria now leads Residency by far
    after = {f.topic: f.text for f in cmp.written_findings(*tables(dims)[:4], LABELS, NAMES)}
    assert before["area:legal"] != after["area:legal"] and "highest Borduria" in after["area:legal"]
    assert before["movers"] != after["movers"] and "Borduria moved most upwards" in after["movers"]


def test_change_counts_and_dimension_change_with_model_interval():
    *_, change = tables()
    counts = cmp.change_counts(change, "2019", "2021", ["AA", "BB", "CC"])
    aa = counts.set_index("country").loc["AA"]
    assert (aa["improved"], aa["stable"], aa["declined"], aa["n_dimensions"]) == (2, 1, 0, 3)
    models = pd.DataFrame([{"model": "cells_cluster_country", "from_round": "2019", "to_round": "2021", "level": "dimension",
                            "dimension": "residency", "step": None, "term": "mean_change", "estimate": 2.0,
                            "ci_low": -1.5, "ci_high": 5.5}])
    by_dim = cmp.dimension_change(change, models, "2019", "2021", list(NAMES))
    res = by_dim.set_index("dimension").loc["residency"]
    assert res["mean_change"] == pytest.approx((10 - 5 + 2) / 3) and res["estimate"] == 2.0
    sentences = cmp.change_sentences(counts, by_dim, LABELS, NAMES, "2019", "2021")
    assert "Aland improved in 2 of 3 dimensions" in sentences[0].text
    assert "most improvement was in Residency" in sentences[1].text and "-1.5 to +5.5" in sentences[1].text
    assert "the least in Family unity and reunification" in sentences[1].text  # no dimension declined on average
    for f in sentences:
        assert numbers(f.text) == [pytest.approx(round(v, 1), abs=0.051) for _, v in f.values], f


def test_recommendation_digest_groups_real_text_by_tag_with_the_country():
    findings = pd.DataFrame([
        {"country": "BB", "section": "recommendation", "item": 1, "dimensions": "residency;mainstreaming", "text": "Grant permits."},
        {"country": "AA", "section": "recommendation", "item": 1, "dimensions": "residency", "text": "Longer permits."},
        {"country": "AA", "section": "recommendation", "item": 2, "dimensions": None, "text": "Untagged."},
        {"country": "AA", "section": "conclusion", "item": 1, "dimensions": "residency", "text": "Not a recommendation."}])
    digest, untagged = cmp.recommendation_digest(findings, LABELS, NAMES)
    assert digest == [("Mainstreaming", [("Borduria", "Grant permits.")]),
                      ("Residency", [("Aland", "Longer permits."), ("Borduria", "Grant permits.")])]
    assert untagged == {"Aland": 1}
