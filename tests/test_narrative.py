"""The country report's generated words and evidence: every number from the fixture tables."""

import re

import pandas as pd
import pytest

from niem.reports import narrative as nv
from niem.reports.content import Labels

CODEBOOK = {
    "areas": [{"id": "general", "name": "General conditions"}, {"id": "legal", "name": "Legal integration"}],
    "dimensions": [{"id": "reception", "name": "Impact of reception on integration", "area": "general", "scored": False},
                   {"id": "mainstreaming", "name": "Mainstreaming", "area": "general", "scored": True},
                   {"id": "residency", "name": "Residency", "area": "legal", "scored": True},
                   {"id": "family_reunification", "name": "Family reunification", "area": "legal", "scored": True}],
    "steps": [{"id": "legal", "name": "Setting the legal framework"}, {"id": "implementation", "name": "Implementation & collaboration"}],
    "scales": {"yn": {"options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}},
    "indicators": [
        {"id": "REC-D01", "dimension": "reception", "step": None, "kind": "descriptive", "question": "Can asylum seekers learn the language?", "answer": {"scale": "yn"}},
        {"id": "RES-L01", "dimension": "residency", "step": "legal", "kind": "scored", "question": "Is the permit long?", "answer": {"scale": "yn"}},
        {"id": "RES-I01", "dimension": "residency", "step": "implementation", "kind": "scored", "question": "Are permits renewed?", "answer": {"scale": "yn"}},
    ]}
LABELS = Labels(CODEBOOK, [{"id": "2019", "label": "E1"}, {"id": "2021", "label": "E2"}], {"AA": "Aland", "BB": "Borduria"})
NAMES = nv.niem_names(CODEBOOK)


def fixture(residency_2021=70.0):
    dims = pd.DataFrame([
        {"country": "AA", "round": r, "dimension": d, "score": s}
        for r, vals in (("2019", {"mainstreaming": 40.0, "residency": 60.0, "family_reunification": 55.0}),
                        ("2021", {"mainstreaming": 50.0, "residency": residency_2021, "family_reunification": 30.0}))
        for d, s in vals.items()])
    overall = dims.groupby("round", as_index=False)["score"].mean().assign(country="AA")
    steps = pd.DataFrame([{"country": "AA", "round": "2021", "dimension": d, "step": st, "score": v}
                          for d, (leg, imp) in {"mainstreaming": (80.0, 20.0), "residency": (90.0, 50.0),
                                                "family_reunification": (40.0, 20.0)}.items()
                          for st, v in (("legal", leg), ("implementation", imp))])
    bench = pd.DataFrame([
        {"round": "2021", "level": "overall", "dimension": None, "mean_score": 45.0, "best_score": 60.0, "best_countries": "BB", "n_countries": 2},
        {"round": "2021", "level": "dimension", "dimension": "mainstreaming", "mean_score": 45.0, "best_score": 50.0, "best_countries": "AA", "n_countries": 2},
        {"round": "2021", "level": "dimension", "dimension": "residency", "mean_score": 75.0, "best_score": 80.0, "best_countries": "BB", "n_countries": 2},
        {"round": "2021", "level": "dimension", "dimension": "family_reunification", "mean_score": 35.0, "best_score": 40.0, "best_countries": "BB", "n_countries": 2}])
    w = dims.pivot(index="dimension", columns="round", values="score").reset_index()
    change = pd.DataFrame({"country": "AA", "from_round": "2019", "to_round": "2021", "level": "dimension",
                           "dimension": w["dimension"], "score_from": w["2019"], "score_to": w["2021"], "change": w["2021"] - w["2019"]})
    return dims, overall, steps, bench, change


def numbers(text):
    return [float(x) for x in re.findall(r"[+-]?\d+(?:\.\d+)?", text) if x not in {"2019", "2021"}]


def test_at_a_glance_numbers_are_table_values():
    dims, overall, steps, bench, change = fixture()
    found = {f.topic: f for f in nv.at_a_glance("AA", LABELS, NAMES, dims, overall, steps, bench, change)}
    assert list(found) == ["strongest", "position", "gap", "change"]
    for f in found.values():
        assert numbers(f.text) == [pytest.approx(round(v, 1), abs=0.051) for _, v in f.values], f
    own = overall.set_index("round").at["2021", "score"]
    assert found["position"].values[0][1] == own and "5.0 points above the 2-country average (45.0)" in found["position"].text
    assert "above the average in 1 of 3 dimensions and highest of all countries in Mainstreaming" in found["position"].text
    assert "strongest dimension is Residency (70.0) and its weakest Family unity and reunification (30.0)" in found["strongest"].text
    assert "widest gap between law and practice is in Mainstreaming: 80.0" in found["gap"].text
    assert "largest change since 2019 is in Family unity and reunification: -25.0 points (55.0 to 30.0)" in found["change"].text


def test_changing_a_score_changes_the_sentences():
    before = {f.topic: f.text for f in nv.at_a_glance("AA", LABELS, NAMES, *fixture())}
    after = {f.topic: f.text for f in nv.at_a_glance("AA", LABELS, NAMES, *fixture(residency_2021=95.0))}
    assert before["change"] != after["change"] and "Residency: +35.0 points (60.0 to 95.0)" in after["change"]
    assert before["position"] != after["position"] and "2 of 3 dimensions" in after["position"]


def test_indicator_evidence_shows_question_answers_points_and_gaps():
    ind = pd.DataFrame([
        {"country": "AA", "round": "2019", "indicator_id": "RES-L01", "dimension": "residency", "status": "answered", "answer": "yes", "points": 100.0},
        {"country": "AA", "round": "2021", "indicator_id": "RES-L01", "dimension": "residency", "status": "no_data", "answer": None, "points": None},
        {"country": "AA", "round": "2019", "indicator_id": "RES-I01", "dimension": "residency", "status": "not_applicable", "answer": None, "points": None},
        {"country": "AA", "round": "2021", "indicator_id": "RES-I01", "dimension": "residency", "status": "answered", "answer": "no", "points": 0.0}])
    rows = nv.indicator_evidence(ind, CODEBOOK, ["2019", "2021"], "residency")
    assert [r["question"] for r in rows] == ["Is the permit long?", "Are permits renewed?"]
    assert rows[0]["rounds"] == {"2019": ("Yes", 100.0), "2021": ("no data", None)}
    assert rows[1]["rounds"] == {"2019": ("not applicable", None), "2021": ("No", 0.0)}
    assert nv.indicator_evidence(ind, CODEBOOK, ["2019"], "reception")[0]["rounds"] == {"2019": ("not asked", None)}


def test_change_drivers_name_the_indicators_that_moved():
    ind = pd.DataFrame([
        {"round": "2019", "indicator_id": "RES-L01", "status": "answered", "answer": "yes", "points": 100.0},
        {"round": "2021", "indicator_id": "RES-L01", "status": "answered", "answer": "no", "points": 0.0},
        {"round": "2019", "indicator_id": "RES-I01", "status": "answered", "answer": "no", "points": 0.0},
        {"round": "2021", "indicator_id": "RES-I01", "status": "answered", "answer": "no", "points": 0.0}])
    drivers = pd.DataFrame([
        {"from_round": "2019", "to_round": "2021", "dimension": "residency", "step": "legal", "indicator_id": "RES-L01",
         "points_from": 100.0, "points_to": 0.0, "contribution": -50.0},
        {"from_round": "2019", "to_round": "2021", "dimension": "residency", "step": "implementation", "indicator_id": "RES-I01",
         "points_from": 0.0, "points_to": 0.0, "contribution": 0.0}])
    out = nv.change_drivers(drivers, ind, CODEBOOK, "2019", "2021", "residency")
    assert out == [{"id": "RES-L01", "step": "legal", "question": "Is the permit long?", "answer_from": "Yes", "answer_to": "No",
                    "points_from": 100.0, "points_to": 0.0, "contribution": -50.0}]  # an indicator that did not move is left out


def test_general_conditions_and_niem_names_come_from_the_codebook():
    text = nv.general_conditions_text(CODEBOOK)
    assert text == ('The area "General conditions" holds 2 NIEM dimensions: Impact of reception on integration, Mainstreaming. '
                    'Impact of reception on integration is described, not scored, so the area score is the score of Mainstreaming alone.')
    assert NAMES["family_reunification"] == "Family unity and reunification" and "reception" not in NAMES
    assert nv.niem_names(CODEBOOK, scored_only=False)["reception"] == "Impact of reception on integration"


def test_evidence_list_prints_answers_points_and_gaps():
    rows = [{"id": "RES-L01", "step": "legal", "question": "Is the permit long?", "kind": "scored",
             "rounds": {"2019": ("Yes", 100.0), "2021": ("no data", None)}}]
    items = nv.evidence_list(rows, ["2019", "2021"], {"legal": "Setting the legal framework"})
    assert items == ["**RES\\-L01** (Setting the legal framework) Is the permit long\\?  \n2019: Yes (100 points); 2021: no data"]
    unscored = nv.evidence_list(rows, ["2019", "2021"], {}, scored=False)
    assert "points" not in unscored[0] and "(Setting" not in unscored[0]
