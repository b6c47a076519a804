"""Scoring and aggregation rules, checked against hand-computed values on a tiny codebook."""

import math

import pytest

from niem.inputs.codebook import numeric_points
from niem.inputs.evidence import Answer
from niem.scoring.rules import ScoringRules, combine, indicator_rows, score_round


def answers(**given):
    out = []
    for line, (ind, ans) in enumerate(given.items(), start=2):
        ind = ind.replace("_", "-")
        status = {"no data": "no_data", "not applicable": "not_applicable"}.get(ans, "answered")
        value = float(ans) if ind == "A-L02" and status == "answered" else None
        out.append(Answer(ind, status, ans, value, "src", "", line))
    return out


def scores(codebook, rules=ScoringRules(), round_id="2019", **given):
    rows = indicator_rows(codebook, round_id, answers(**given))
    return rows, score_round(rows, codebook, rules)


def pick(rows, **key):
    return next(r for r in rows if all(r[k] == v for k, v in key.items()))


FULL = dict(A_L01="partly", A_L02="4", A_P01="yes", A_I01="no", B_L01="yes", B_P01="partly", B_I01="no")


def test_numeric_points_linear_and_clamped():
    assert numeric_points(4, best=0, worst=10) == 60.0
    assert numeric_points(12, best=0, worst=10) == 0.0
    assert numeric_points(-1, best=0, worst=10) == 100.0
    assert numeric_points(75, best=100, worst=50) == 50.0


def test_hand_computed_scores(tiny_codebook):
    rows, s = scores(tiny_codebook, **FULL)
    # alpha/legal = mean(50, 60) = 55; alpha = mean(55, 100, 0) = 51.667; beta = mean(100, 50, 0) = 50
    assert pick(s["step_scores"], dimension="alpha", step="legal")["score"] == 55.0
    assert pick(s["dimension_scores"], dimension="alpha")["score"] == pytest.approx(155 / 3, abs=1e-6)
    assert pick(s["dimension_scores"], dimension="beta")["score"] == 50.0
    assert s["overall_scores"][0]["score"] == pytest.approx((155 / 3 + 50) / 2, abs=1e-6)
    # overall step score = mean over dimensions of the step's scores
    assert pick(s["overall_step_scores"], step="legal")["score"] == pytest.approx((55 + 100) / 2)
    assert pick(s["area_scores"], area="two")["score"] == 50.0
    assert s["overall_scores"][0]["coverage"] == 1.0
    # statistical indicator: listed, unanswered, never scored
    stat = pick(rows, indicator_id="A-S01")
    assert stat["status"] == "unanswered" and stat["points"] is None


def test_retired_indicator_not_asked(tiny_codebook):
    rows, _ = scores(tiny_codebook, round_id="2019", **FULL)
    assert "B-P02" not in {r["indicator_id"] for r in rows}
    rows, _ = scores(tiny_codebook, round_id="2017", **FULL)
    assert pick(rows, indicator_id="B-P02")["status"] == "unanswered"


def test_no_data_excluded_or_zero(tiny_codebook):
    given = {**FULL, "A_L01": "no data"}
    _, s = scores(tiny_codebook, **given)
    cell = pick(s["step_scores"], dimension="alpha", step="legal")
    assert cell["score"] == 60.0 and cell["coverage"] == 0.5 and cell["n_no_data"] == 1
    _, s = scores(tiny_codebook, ScoringRules(missing_data="zero"), **given)
    assert pick(s["step_scores"], dimension="alpha", step="legal")["score"] == 30.0


def test_not_applicable_leaves_coverage_base(tiny_codebook):
    _, s = scores(tiny_codebook, **{**FULL, "A_L01": "not applicable"})
    cell = pick(s["step_scores"], dimension="alpha", step="legal")
    assert cell["score"] == 60.0 and cell["coverage"] == 1.0 and cell["n_not_applicable"] == 1


def test_coverage_below_minimum_gives_missing_step_and_renormalised_dimension(tiny_codebook):
    given = {**FULL, "A_P01": "no data"}
    _, s = scores(tiny_codebook, **given)
    cell = pick(s["step_scores"], dimension="alpha", step="policy")
    assert cell["score"] is None and "coverage" in cell["missing_reason"]
    # alpha = mean of the two remaining steps (55, 0)
    assert pick(s["dimension_scores"], dimension="alpha")["score"] == 27.5
    _, s = scores(tiny_codebook, ScoringRules(min_steps=3), **given)
    dim = pick(s["dimension_scores"], dimension="alpha")
    assert dim["score"] is None and dim["n_steps_scored"] == 2
    # with alpha missing, 1 of 2 dimensions is below min_dimension_share 0.75 -> no overall
    assert s["overall_scores"][0]["score"] is None


def test_step_weights_and_geometric_mean(tiny_codebook):
    rules = ScoringRules(step_weights=(("implementation", 2.0), ("legal", 1.0), ("policy", 1.0)))
    _, s = scores(tiny_codebook, rules, **FULL)
    assert pick(s["dimension_scores"], dimension="beta")["score"] == pytest.approx((100 + 50 + 0) / 4)
    given = {**FULL, "B_I01": "partly"}
    _, s = scores(tiny_codebook, ScoringRules(mean="geometric"), **given)
    assert pick(s["dimension_scores"], dimension="beta")["score"] == pytest.approx((100 * 50 * 50) ** (1 / 3), abs=1e-6)
    # a zero component counts as the floor of 1 point: (100 * 50 * 1) ** (1/3)
    _, s = scores(tiny_codebook, ScoringRules(mean="geometric"), **FULL)
    assert pick(s["dimension_scores"], dimension="beta")["score"] == pytest.approx(5000 ** (1 / 3), abs=1e-6)


def test_overall_from_areas(tiny_codebook):
    _, s = scores(tiny_codebook, ScoringRules(overall_from="areas"), **FULL)
    areas = {a["area"]: a["score"] for a in s["area_scores"]}
    assert s["overall_scores"][0]["score"] == pytest.approx((areas["one"] + areas["two"]) / 2)


def test_combine():
    assert combine([10, 20], [1, 3]) == 17.5
    assert combine([4, 9], kind="geometric") == pytest.approx(6.0)
    assert math.isclose(combine([50.0]), 50.0)
