"""Robustness Monte Carlo: its vectorised scoring equals niem.scoring for every method choice,
intervals collapse to the baseline when no choice varies, ranks are permutations, draws are seeded."""

import dataclasses

import numpy as np
import pytest

from analysis_fixtures import numeric_codebook, rows_from_points
from niem.analysis.robustness import CHOICES, Choices, baseline_choices, build_arrays, draw_choices, monte_carlo, ranks, scores
from niem.scoring.rules import ScoringRules, score_round

COUNTRIES = ["AA", "BB", "CC", "DD", "EE"]
ROUNDS = ["2019", "2021"]


@pytest.fixture(scope="module")
def data():
    cb = numeric_codebook()
    rng = np.random.default_rng(5)
    points = {(c, r): {i.id: float(rng.choice([0, 10, 35, 50, 80, 100])) for i in cb.indicators} for c in COUNTRIES for r in ROUNDS}
    status = {("AA", "2019", "A-L01"): "no_data", ("BB", "2021", "B-P02"): "no_data", ("CC", "2019", "A-I03"): "not_applicable",
              ("DD", "2021", "B-L01"): "unanswered", ("EE", "2019", "A-P01"): "no_data", ("EE", "2019", "A-P02"): "no_data"}
    rows = rows_from_points(cb, points, status)
    columns = {k: [r[k] for r in rows] for k in rows[0]}
    return cb, rows, build_arrays(columns, cb, COUNTRIES, ROUNDS)


def reference(cb, rows, rules, drop=None):
    """(rounds, countries, 1 + dimensions) scores from niem.scoring (None -> NaN)."""
    out = np.full((len(ROUNDS), len(COUNTRIES), 1 + len(cb.scored_dimensions)), np.nan)
    for ri, r in enumerate(ROUNDS):
        for ci, c in enumerate(COUNTRIES):
            sel = [x for x in rows if x["country"] == c and x["round"] == r and x["indicator_id"] != drop]
            s = score_round(sel, cb, rules)
            values = [s["overall_scores"][0]["score"]] + [d["score"] for d in s["dimension_scores"]]
            out[ri, ci] = [np.nan if v is None else v for v in values]
    return out


def choices_for(arrays, rules, weights=None, drop=None):
    base = baseline_choices(arrays, rules)
    changes = {}
    if weights is not None:
        w = np.array([weights[s] for s in arrays.steps], float)
        changes["weights"] = (w / w.sum())[None, :]
    if drop is not None:
        changes["drop"] = np.array([arrays.indicators.index(drop)])
    return dataclasses.replace(base, **changes)


RULES = [ScoringRules(), ScoringRules(mean="geometric"), ScoringRules(missing_data="zero"),
         ScoringRules(overall_from="areas"), ScoringRules(min_indicator_coverage=0.9, min_steps=3),
         ScoringRules(mean="geometric", missing_data="zero", overall_from="areas")]


@pytest.mark.parametrize("rules", RULES)
def test_vectorised_baseline_equals_scoring(data, rules):
    cb, rows, arrays = data
    got = scores(arrays, rules, baseline_choices(arrays, rules))[0]
    np.testing.assert_allclose(got, reference(cb, rows, rules), atol=1e-5)


def test_step_weights_and_dropped_indicator_equal_scoring(data):
    cb, rows, arrays = data
    weights = {"legal": 0.5, "policy": 0.3, "implementation": 0.2}
    rules = ScoringRules(step_weights=tuple(sorted(weights.items())))
    got = scores(arrays, ScoringRules(), choices_for(arrays, ScoringRules(), weights=weights))[0]
    np.testing.assert_allclose(got, reference(cb, rows, rules), atol=1e-5)
    got = scores(arrays, ScoringRules(), choices_for(arrays, ScoringRules(), drop="B-P01"))[0]
    np.testing.assert_allclose(got, reference(cb, rows, ScoringRules(), drop="B-P01"), atol=1e-5)


def test_no_varying_choice_collapses_intervals_to_baseline(data):
    _, _, arrays = data
    rules = ScoringRules()
    ch = draw_choices(arrays, rules, draws=300, seed=1, choices=[])
    score_rows, choice_rows = monte_carlo(arrays, rules, ch)
    for r in score_rows:
        assert r["score_p05"] == r["score_median"] == r["score_p95"] == r["score_baseline"]
        assert r["rank_p05"] == r["rank_median"] == r["rank_p95"] == r["rank_baseline"]
        assert r["n_draws"] == 300
    assert all(c["mean_abs_rank_shift"] == 0 for c in choice_rows)
    assert len(score_rows) == len(COUNTRIES) * len(ROUNDS) * 3


def test_varying_choices_widen_intervals_and_are_seeded(data):
    _, _, arrays = data
    rules = ScoringRules()
    a = draw_choices(arrays, rules, draws=400, seed=7)
    b = draw_choices(arrays, rules, draws=400, seed=7)
    rows_a, choices_a = monte_carlo(arrays, rules, a)
    assert (rows_a, choices_a) == monte_carlo(arrays, rules, b)
    assert any(r["score_p95"] - r["score_p05"] > 1 for r in rows_a)
    assert all(r["score_p05"] <= r["score_median"] <= r["score_p95"] for r in rows_a)
    options = {(c["choice"], c["option"]): c["n_draws"] for c in choices_a}
    assert options[("all", "all draws")] == 400
    for choice in CHOICES:
        assert sum(n for (c, _), n in options.items() if c == choice) == 400
    # switching one choice off leaves the other choices' draws unchanged
    c = draw_choices(arrays, rules, draws=400, seed=7, choices=["mean", "step_weights", "missing_data"])
    assert (c.geometric == a.geometric).all() and (c.weights == a.weights).all() and (c.drop == len(arrays.indicators)).all()


def test_ranks_are_permutations(data):
    _, _, arrays = data
    ch = draw_choices(arrays, ScoringRules(), draws=200, seed=3, choices=["step_weights", "drop_indicator"])
    s = scores(arrays, ScoringRules(), ch)
    r = ranks(s)
    np.testing.assert_allclose(r.sum(axis=2), 15.0)                      # always: 1 + ... + 5
    no_ties = (np.diff(np.sort(s, axis=2), axis=2) != 0).all(axis=2)
    assert no_ties.mean() > 0.9
    permutation = (np.sort(r, axis=2) == np.arange(1, 6)[None, None, :, None]).all(axis=2)
    assert permutation[no_ties].all()
    tied = ranks(np.array([[3.0, 1.0, 3.0, np.nan, 5.0]]), axis=1)
    np.testing.assert_array_equal(tied, [[2.5, 4.0, 2.5, np.nan, 1.0]])


def test_unknown_choice_rejected(data):
    _, _, arrays = data
    with pytest.raises(ValueError, match="unknown robustness choice"):
        draw_choices(arrays, ScoringRules(), draws=10, seed=1, choices=["weights"])


def test_choices_dataclass_length(data):
    _, _, arrays = data
    assert isinstance(baseline_choices(arrays, ScoringRules(), 4), Choices) and len(baseline_choices(arrays, ScoringRules(), 4)) == 4
