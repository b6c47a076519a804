"""Change drivers and change models: contributions add up to the change table, the models recover
a change planted in a synthetic fixture, and convergence / paired tests match hand computations."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis_fixtures import numeric_codebook, one_row, planted_rows, rows_from_points
from niem.scoring.change import change_rows
from niem.analysis.models import (
    beta_convergence, change_drivers, change_models, convergence, country_change_intervals, effect_coding, fit_mean,
    paired_indicators, paired_tests, sigma_convergence,
)
from niem.scoring.rules import ScoringRules

ROUNDS = ["2019", "2021"]


def analyse(codebook, rows, rules=ScoringRules()):
    change = pd.DataFrame(change_rows(rows, codebook, rules, ROUNDS, 2.5))
    paired = paired_indicators(pd.DataFrame(rows), ROUNDS, rules)
    return change, paired


# --- drivers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("rules", [ScoringRules(), ScoringRules(missing_data="zero"),
                                   ScoringRules(step_weights=(("implementation", 2.0), ("legal", 1.0), ("policy", 1.0)))])
def test_contributions_add_up_to_step_change(rules):
    cb = numeric_codebook()
    points = {("XX", "2019"): {i.id: 10.0 * (k % 7) for k, i in enumerate(cb.indicators)},
              ("XX", "2021"): {i.id: 10.0 * ((k + 2) % 7) for k, i in enumerate(cb.indicators)}}
    status = {("XX", "2019", "A-L01"): "no_data", ("XX", "2021", "A-L02"): "no_data",
              ("XX", "2021", "B-P01"): "not_applicable", ("XX", "2019", "B-I03"): "unanswered"}
    rows = rows_from_points(cb, points, status)
    change, paired = analyse(cb, rows, rules)
    drivers = change_drivers(paired)
    sums = drivers.groupby(["dimension", "step"])["contribution"].sum()
    steps = change[change["level"] == "step"].set_index(["dimension", "step"])["change"]
    assert len(steps) == 6
    for key, value in steps.items():
        assert sums[key] == pytest.approx(value, abs=1e-5), key
    a_l02 = one_row(drivers, indicator_id="A-L02")
    assert a_l02["points_from"] == 10.0 and pd.isna(a_l02["points_to"])


def test_contribution_null_when_step_score_missing():
    cb = numeric_codebook()
    points = {(c, r): {i.id: 50.0 for i in cb.indicators} for c in ["XX"] for r in ROUNDS}
    # two of three alpha/legal indicators 'no data' in 2021: coverage 1/3 < 0.5 -> no step score
    status = {("XX", "2021", "A-L01"): "no_data", ("XX", "2021", "A-L02"): "no_data"}
    change, paired = analyse(cb, rows_from_points(cb, points, status))
    cell = paired[(paired["dimension"] == "alpha") & (paired["step"] == "legal")]
    assert cell["contribution"].isna().all()
    assert pd.isna(one_row(change, level="step", dimension="alpha", step="legal")["change"])


# --- planted change --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def planted():
    cb = numeric_codebook()
    rows = planted_rows(cb, n_countries=30, shift={"alpha": 10.0, "beta": 0.0}, country_shift={"C00": 15.0}, noise=2.0)
    change, paired = analyse(cb, rows)
    return change, paired


@pytest.mark.parametrize("model", ["cells_cluster_country", "indicators_country_fe"])
def test_models_recover_planted_change(planted, model):
    change, paired = planted
    m = change_models(change, paired, ScoringRules())
    m = m[m["model"] == model]
    alpha = one_row(m, level="dimension", dimension="alpha")
    beta = one_row(m, level="dimension", dimension="beta")
    # planted: +10 in alpha, 0 in beta, plus +15 for one country of 30 (= +0.5 on average)
    assert alpha["ci_low"] < 10.5 < alpha["ci_high"] and alpha["p_value"] < 1e-6
    assert abs(alpha["estimate"] - 10.5) < 1.0
    assert beta["ci_low"] < 0.5 < beta["ci_high"] and abs(beta["estimate"] - 0.5) < 1.0
    overall = one_row(m, level="overall")
    assert overall["ci_low"] < 5.5 < overall["ci_high"]
    assert alpha["n_clusters"] == (30 if model == "cells_cluster_country" else 9)
    step = one_row(m, level="step", dimension="alpha", step="policy")
    assert step["ci_low"] < 10.5 < step["ci_high"]


def test_cell_model_equals_paired_test_at_step_level(planted):
    change, paired = planted
    m = change_models(change, paired, ScoringRules())
    t = paired_tests(change)
    a = one_row(m[m["model"] == "cells_cluster_country"], level="step", dimension="beta", step="legal")
    b = one_row(t, level="step", dimension="beta", step="legal")
    # one change per country, clustered by country = the classical SE of a mean
    assert a["estimate"] == pytest.approx(b["mean_change"]) and a["std_error"] == pytest.approx(b["std_error"])
    assert a["ci_low"] == pytest.approx(b["ci_low"]) and a["p_value"] == pytest.approx(b["p_value"])


def test_country_interval_recovers_planted_country_shift(planted):
    _, paired = planted
    ci = country_change_intervals(paired)
    c00 = one_row(ci, country="C00", level="dimension", dimension="beta")
    assert c00["ci_low"] < 15 < c00["ci_high"] and c00["n_indicators"] == 9
    c01 = one_row(ci, country="C01", level="overall")
    assert c01["ci_low"] < 5 < c01["ci_high"]
    # complete data: the weighted mean of paired changes is the change table's change
    change, _ = planted
    assert c01["change"] == pytest.approx(one_row(change, country="C01", level="overall")["change"], abs=1e-5)


def test_paired_test_hand_computed():
    change = pd.DataFrame({"country": list("ABCD"), "from_round": "2019", "to_round": "2021", "level": "overall",
                           "dimension": None, "step": None, "score_from": [40.0, 50, 60, 70],
                           "score_to": [42.0, 53, 61, 74], "change": [2.0, 3, 1, 4]})
    row = paired_tests(change).iloc[0]
    # d = 2, 3, 1, 4: mean 2.5, sd sqrt(5/3), se = sd / 2
    se = np.sqrt(5 / 3) / 2
    assert row["mean_change"] == 2.5 and row["std_error"] == pytest.approx(se) and row["t"] == pytest.approx(2.5 / se)
    assert row["ci_low"] == pytest.approx(2.5 - stats.t.ppf(0.975, 3) * se)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(2.5 / se, 3)) and row["n"] == 4


# --- convergence -----------------------------------------------------------------------------------

X = np.array([40.0, 50, 60, 70, 80])
Y = np.array([45.0, 52, 58, 66, 74])


def test_sigma_convergence_hand_computed():
    out = sigma_convergence(X, Y, draws=500, rng=np.random.default_rng(3))
    # SD(x) = sqrt(250); y - 59 = -14, -7, -1, 7, 15 -> var 520 / 4 = 130
    assert out["value_from"] == pytest.approx(np.sqrt(250)) and out["value_to"] == pytest.approx(np.sqrt(130))
    assert out["estimate"] == pytest.approx(np.sqrt(130) - np.sqrt(250))
    assert out["ci_low"] <= out["estimate"] <= out["ci_high"] and out["std_error"] > 0
    # Pitman-Morgan: var(y) - var(x) = cov(x + y, y - x); test corr = 0 with n - 2 df
    s, d = X + Y, Y - X
    r = np.sum((s - s.mean()) * (d - d.mean())) / np.sqrt(np.sum((s - s.mean()) ** 2) * np.sum((d - d.mean()) ** 2))
    t = r * np.sqrt(3 / (1 - r * r))
    assert out["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), 3))
    again = sigma_convergence(X, Y, draws=500, rng=np.random.default_rng(3))
    assert again == out  # seeded


def test_beta_convergence_hand_computed():
    out = beta_convergence(X, Y)
    # change = 5, 2, -2, -4, -6; Sxy = -280, Sxx = 1000 -> slope -0.28
    assert out["estimate"] == pytest.approx(-0.28)
    Xm = np.column_stack([X, np.ones(5)])
    resid = (Y - X) - Xm @ np.linalg.lstsq(Xm, Y - X, rcond=None)[0]
    bread = np.linalg.inv(Xm.T @ Xm)
    h = np.einsum("ij,jk,ik->i", Xm, bread, Xm)
    meat = Xm.T @ np.diag(resid ** 2 / (1 - h) ** 2) @ Xm                # HC3
    se = np.sqrt((bread @ meat @ bread)[0, 0])
    assert out["std_error"] == pytest.approx(se)
    assert out["ci_high"] == pytest.approx(-0.28 + stats.t.ppf(0.975, 3) * se)
    assert (out["value_from"], out["value_to"], out["n"]) == (60.0, 59.0, 5)


def test_convergence_table():
    rows = []
    for c, x, y in zip("ABCDE", X, Y):
        rows.append({"country": c, "from_round": "2019", "to_round": "2021", "level": "overall", "dimension": None,
                     "step": None, "score_from": x, "score_to": y, "change": y - x})
        for dim, off in (("alpha", 0.0), ("beta", 5.0)):
            rows.append({"country": c, "from_round": "2019", "to_round": "2021", "level": "dimension", "dimension": dim,
                         "step": None, "score_from": x + off, "score_to": y + off, "change": y - x})
    out = convergence(pd.DataFrame(rows), draws=200, seed=1)
    assert one_row(out, kind="beta", level="overall")["estimate"] == pytest.approx(-0.28)
    assert one_row(out, kind="sigma", level="dimension", dimension="beta")["estimate"] == pytest.approx(np.sqrt(130) - np.sqrt(250))
    pooled = one_row(out, kind="beta", level="dimensions_pooled")
    assert pooled["estimate"] == pytest.approx(-0.28) and pooled["n"] == 10   # same slope in both dimensions


# --- building blocks -------------------------------------------------------------------------------

def test_effect_coded_intercept_is_mean_of_group_means():
    y = np.array([1.0, 2.0, 3.0, 10.0, 20.0])
    groups = ["a", "a", "a", "b", "b"]
    fit = fit_mean(y, extra=effect_coding(groups))
    assert fit["estimate"] == pytest.approx((2.0 + 15.0) / 2)


def test_fit_mean_weighted_and_degenerate():
    assert fit_mean([1.0, 3.0], weights=[3.0, 1.0])["estimate"] == pytest.approx(1.5)
    single = fit_mean([4.0])
    assert single["estimate"] == 4.0 and single["std_error"] is None and single["ci_low"] is None
