"""Change between rounds as models with uncertainty: drivers, average change, paired tests,
convergence and per-country change intervals.

Inputs are the ``indicator_scores`` and ``change`` tables (DataFrames). docs/analysis.md states
every specification; in short:

* **paired indicator changes** (``paired_indicators``): per country and round pair, the scored
  indicators asked in both rounds with their points under the scoring rules (``missing_data``),
  each one's additive contribution to its step change, and a weight ``step weight / indicators
  paired in the step`` so that a weighted mean over a dimension reproduces the dimension change;
* **average change** (``change_models``): ``cells_cluster_country`` regresses the changes of the
  components one level down (change table) on an intercept, with CR1 cluster-robust errors by
  country; ``indicators_country_fe`` regresses the paired indicator changes on an intercept and
  sum-to-zero country effects, with CR1 errors clustered by indicator;
* **paired t-tests** across countries on the change table;
* **sigma-convergence** (difference of the between-country SD, bootstrap interval over countries,
  Pitman-Morgan p-value) and **beta-convergence** (change on the starting score, HC3 errors; pooled
  over dimensions with dimension intercepts and errors clustered by country);
* **country change intervals**: weighted mean of a country's paired indicator changes with an
  HC1 interval (dimension) or an interval clustered by dimension (overall).

Only ``statsmodels.regression.linear_model`` and ``scipy.stats`` are imported (job start-up).
"""

from __future__ import annotations

import warnings
import zlib

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import WLS

from ..scoring.change import round_pairs
from ..scoring.rules import ScoringRules

FIT_KEYS = ("estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "n_clusters")
PAIR_KEYS = ["country", "from_round", "to_round", "dimension", "step"]


def _num(x) -> float | None:
    """A finite float, or None (written as null)."""
    x = float(x)
    return x if np.isfinite(x) else None


# --- paired indicator changes and drivers ---------------------------------------------------------

def effective_points(ind: pd.DataFrame, missing_data: str) -> pd.Series:
    """Points as they enter a step mean: answered -> points; 'no data' and unanswered -> 0 under
    ``missing_data: zero``, else left out (NaN); 'not applicable' -> always left out."""
    missing = ind["status"].isin(["no_data", "unanswered"])
    filler = 0.0 if missing_data == "zero" else np.nan
    return ind["points"].where(ind["status"] == "answered", np.where(missing, filler, np.nan)).astype("float64")


def _cell_stats(m: pd.DataFrame, side: str, rules: ScoringRules) -> pd.DataFrame:
    """Per country x dimension x step of one side of a pair: indicators entering the step mean
    (``n_mean_{side}``) and whether the step score exists (``valid_{side}``, coverage rule)."""
    status = m[f"status_{side}"]
    flags = pd.DataFrame({"n_mean": m[f"eff_{side}"].notna(), "applicable": status != "not_applicable",
                          "answered": status == "answered"}).astype(int)
    g = flags.groupby([m["country"], m["dimension"], m["step"]]).sum()
    coverage = g["answered"] / g["applicable"].where(g["applicable"] > 0)
    valid = (coverage >= rules.min_indicator_coverage) & (g["n_mean"] > 0)
    return pd.DataFrame({f"n_mean_{side}": g["n_mean"], f"valid_{side}": valid})


def paired_indicators(ind: pd.DataFrame, rounds: list[str], rules: ScoringRules) -> pd.DataFrame:
    """Scored indicators common to both rounds of every round pair, per country, with their points,
    contribution to the step change, paired change ``delta`` and interval weight ``weight``.

    contribution = eff_to / n_to - eff_from / n_from (eff: points entering the step mean, a side
    without them counts 0; n: indicators entering the mean in that round), so a cell's
    contributions add up to its step change on the common indicators; null when the step score is
    missing in either round. delta = eff_to - eff_from when both exist.
    """
    scored = ind[ind["kind"] == "scored"].assign(eff=lambda d: effective_points(d, rules.missing_data))
    cols = ["country", "dimension", "step", "indicator_id", "status", "points", "eff"]
    frames = []
    for r1, r2 in round_pairs([r for r in rounds if r in set(scored["round"])]):
        a = scored.loc[scored["round"] == r1, cols]
        b = scored.loc[scored["round"] == r2, cols]
        m = a.merge(b, on=["country", "dimension", "step", "indicator_id"], suffixes=("_from", "_to"))
        for side in ("from", "to"):
            m = m.join(_cell_stats(m, side, rules), on=["country", "dimension", "step"])
        valid = m["valid_from"] & m["valid_to"]
        contribution = m["eff_to"].fillna(0) / m["n_mean_to"] - m["eff_from"].fillna(0) / m["n_mean_from"]
        m["contribution"] = contribution.where(valid)
        m["delta"] = m["eff_to"] - m["eff_from"]
        paired = m["delta"].notna()
        n_paired = paired.groupby([m["country"], m["dimension"], m["step"]]).transform("sum")
        m["weight"] = (m["step"].map(dict(rules.step_weights)) / n_paired).where(paired)
        m.insert(1, "from_round", r1)
        m.insert(2, "to_round", r2)
        frames.append(m)
    if not frames:
        return pd.DataFrame(columns=PAIR_KEYS + ["indicator_id", "points_from", "points_to", "contribution", "delta", "weight"])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(PAIR_KEYS + ["indicator_id"], kind="stable").reset_index(drop=True)


def change_drivers(paired: pd.DataFrame) -> pd.DataFrame:
    return paired[PAIR_KEYS + ["indicator_id", "points_from", "points_to", "contribution"]].reset_index(drop=True)


# --- fitting ---------------------------------------------------------------------------------------

def effect_coding(groups) -> np.ndarray:
    """Sum-to-zero (deviation) coded dummies of ``groups``: one column per group but the last,
    +1 in that group, -1 in the last group. With an intercept, the intercept is then the
    unweighted average of the group means of a saturated model."""
    codes, levels = pd.factorize(pd.Series(groups), sort=True)
    k = len(levels)
    X = np.zeros((len(codes), max(k - 1, 0)))
    for j in range(k - 1):
        X[:, j] = (codes == j).astype(float) - (codes == k - 1).astype(float)
    return X


def fit_mean(y, weights=None, groups=None, extra=None, alpha: float = 0.05, cov: str = "HC1") -> dict:
    """Weighted least squares of ``y`` on an intercept (plus ``extra`` columns); the intercept's
    estimate, standard error, t interval, p-value. Errors: CR1 clustered by ``groups`` (t with
    G - 1 df) when given, else ``cov`` (t with n - k df). Undefined standard errors are None."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    X = np.ones((n, 1)) if extra is None or extra.shape[1] == 0 else np.column_stack([np.ones(n), extra])
    n_clusters = n if groups is None else int(pd.Series(groups).nunique())
    out = dict.fromkeys(FIT_KEYS)
    out.update(n=n, n_clusters=n_clusters)
    if n == 0:
        return out
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        model = WLS(y, X, weights=w)
        estimate = float(np.sum(w * y) / np.sum(w)) if X.shape[1] == 1 else None
        if n_clusters < 2 or n <= X.shape[1]:
            res = model.fit()
            out["estimate"] = _num(res.params[0]) if estimate is None else estimate
            return out
        if groups is not None:
            res = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(pd.Series(groups))[0]}, use_t=True)
        else:
            res = model.fit(cov_type=cov, use_t=True)
        ci = res.conf_int(alpha)
        out.update(estimate=_num(res.params[0]), std_error=_num(res.bse[0]), ci_low=_num(ci[0, 0]),
                   ci_high=_num(ci[0, 1]), p_value=_num(res.pvalues[0]))
    return out


# --- average change across countries -----------------------------------------------------------------

def _units(change: pd.DataFrame) -> list[tuple[str, str | None, str | None]]:
    """(level, dimension, step) of every unit in the change table, in a stable order."""
    u = change[["level", "dimension", "step"]].drop_duplicates()
    return [(level, _none(dim), _none(step)) for level, dim, step in u.itertuples(index=False, name=None)]


def _components(change: pd.DataFrame, level: str, dimension, step) -> pd.DataFrame:
    """Change-table rows one level below a unit (the step level is its own component)."""
    if level == "overall":
        return change[change["level"] == "dimension"]
    st = change[change["level"] == "step"]
    if level == "overall_step":
        return st[st["step"] == step]
    if level == "dimension":
        return st[st["dimension"] == dimension]
    return st[(st["dimension"] == dimension) & (st["step"] == step)]


def _indicators_of(paired: pd.DataFrame, dimension, step) -> pd.DataFrame:
    """Paired indicators of a unit (all of them for the overall level)."""
    p = paired
    if dimension is not None:
        p = p[p["dimension"] == dimension]
    if step is not None:
        p = p[p["step"] == step]
    return p


def change_models(change: pd.DataFrame, paired: pd.DataFrame, rules: ScoringRules, alpha: float = 0.05) -> pd.DataFrame:
    rows = []
    step_weight = dict(rules.step_weights)
    for (r1, r2), ch in change.groupby(["from_round", "to_round"], sort=True):
        pp = paired[(paired["from_round"] == r1) & (paired["to_round"] == r2) & paired["delta"].notna()]
        for level, dim, step in _units(ch):
            key = {"from_round": r1, "to_round": r2, "level": level, "dimension": dim, "step": step, "term": "mean_change"}
            comp = _components(ch, level, dim, step).dropna(subset=["change"])
            weights = comp["step"].map(step_weight) if level == "dimension" else None
            fit = fit_mean(comp["change"], weights, groups=comp["country"], alpha=alpha)
            rows.append({"model": "cells_cluster_country", **key, **fit,
                         "method": f"WLS of the {_COMPONENT[level]} changes on an intercept"
                                   f"{' (weights: step weights)' if level == 'dimension' else ''}; "
                                   "CR1 cluster-robust SE by country; t(G-1) interval"})
            ind = _indicators_of(pp, dim, step)
            fit = fit_mean(ind["delta"], ind["weight"], groups=ind["indicator_id"], extra=effect_coding(ind["country"]), alpha=alpha)
            rows.append({"model": "indicators_country_fe", **key, **fit,
                         "method": "WLS of paired indicator changes (weights: step weight / indicators paired in the step) "
                                   "on an intercept and sum-to-zero country effects; CR1 cluster-robust SE by indicator; "
                                   "t(G-1) interval"})
    return _sorted(pd.DataFrame(rows), ["model", "from_round", "to_round", "level", "dimension", "step", "term"])


_COMPONENT = {"overall": "dimension-level", "overall_step": "step-level (this step, all dimensions)",
              "dimension": "step-level (this dimension)", "step": "step-level (this cell: one per country)"}
LEVEL_ORDER = {"overall": 0, "overall_step": 1, "dimension": 2, "step": 3, "dimensions_pooled": 4}


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if df.empty:
        return df
    order = df.assign(_level=df["level"].map(LEVEL_ORDER))
    keys = ["_level" if k == "level" else k for k in keys]
    return order.sort_values(keys, na_position="first", kind="stable").drop(columns="_level").reset_index(drop=True)


def paired_tests(change: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Paired t-test of score_to against score_from across countries, per unit of the change table."""
    rows = []
    c = change.dropna(subset=["score_from", "score_to"])
    for (r1, r2, level), g in c.groupby(["from_round", "to_round", "level"], sort=True):
        for (dim, step), u in g.groupby(["dimension", "step"], dropna=False, sort=True):
            d = (u["score_to"] - u["score_from"]).to_numpy()
            n = len(d)
            row = {"from_round": r1, "to_round": r2, "level": level, "dimension": _none(dim), "step": _none(step),
                   "mean_change": _num(d.mean()), "std_error": None, "ci_low": None, "ci_high": None,
                   "t": None, "p_value": None, "n": n}
            if n >= 2:
                se = d.std(ddof=1) / np.sqrt(n)
                q = stats.t.ppf(1 - alpha / 2, n - 1)
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    test = stats.ttest_rel(u["score_to"], u["score_from"])
                row.update(std_error=_num(se), ci_low=_num(d.mean() - q * se), ci_high=_num(d.mean() + q * se),
                           t=_num(test.statistic), p_value=_num(test.pvalue))
            rows.append(row)
    return _sorted(pd.DataFrame(rows), ["from_round", "to_round", "level", "dimension", "step"])


def _none(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else x


# --- convergence -----------------------------------------------------------------------------------

def unit_rng(seed: int, *key: str) -> np.random.Generator:
    """A generator seeded by ``seed`` and the unit's key, so a unit's draws do not depend on the others."""
    return np.random.default_rng([seed, zlib.crc32("|".join(str(k) for k in key).encode())])


def sigma_convergence(x, y, draws: int, rng: np.random.Generator, alpha: float = 0.05) -> dict:
    """Change of the between-country SD (ddof 1) from x (earlier) to y (later), paired by country.

    Interval: percentile bootstrap over countries (``draws`` resamples); std_error: SD of the
    bootstrap differences; p-value: Pitman-Morgan test of equal variances of paired samples
    (corr(x + y, y - x) = 0, t with n - 2 df)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    sd_x, sd_y = (float(v.std(ddof=1)) if n >= 2 else np.nan for v in (x, y))
    out = {"estimate": _num(sd_y - sd_x), "std_error": None, "ci_low": None, "ci_high": None, "p_value": None,
           "n": n, "value_from": _num(sd_x), "value_to": _num(sd_y)}
    if n < 3:
        return out
    idx = rng.integers(0, n, size=(draws, n))
    diff = y[idx].std(axis=1, ddof=1) - x[idx].std(axis=1, ddof=1)
    lo, hi = np.quantile(diff, [alpha / 2, 1 - alpha / 2])
    with np.errstate(all="ignore"):
        r = np.corrcoef(x + y, y - x)[0, 1]
        t = r * np.sqrt((n - 2) / (1 - r * r))
    p = 2 * stats.t.sf(abs(t), n - 2) if np.isfinite(t) else np.nan
    out.update(std_error=_num(diff.std(ddof=1)), ci_low=_num(lo), ci_high=_num(hi), p_value=_num(p))
    return out


def beta_convergence(x, y, alpha: float = 0.05, groups=None, intercepts=None) -> dict:
    """Slope of the change (y - x) on the starting score x: OLS with an intercept (or one intercept
    per level of ``intercepts``), HC3 standard errors, or CR1 clustered by ``groups``; t interval."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    if intercepts is None:
        X = np.column_stack([x, np.ones(n)])
    else:
        X = np.column_stack([x, pd.get_dummies(pd.Series(intercepts)).to_numpy(float)])
    out = {"estimate": None, "std_error": None, "ci_low": None, "ci_high": None, "p_value": None, "n": n,
           "value_from": _num(x.mean()) if n else None, "value_to": _num(y.mean()) if n else None}
    if n < X.shape[1]:
        return out
    if n == X.shape[1]:                                   # exact fit: a slope, but no standard error
        out["estimate"] = _num(np.linalg.lstsq(X, y - x, rcond=None)[0][0])
        return out
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        model = WLS(y - x, X)
        if groups is not None:
            res = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(pd.Series(groups))[0]}, use_t=True)
        else:
            res = model.fit(cov_type="HC3", use_t=True)
        ci = res.conf_int(alpha)
    out.update(estimate=_num(res.params[0]), std_error=_num(res.bse[0]), ci_low=_num(ci[0, 0]),
               ci_high=_num(ci[0, 1]), p_value=_num(res.pvalues[0]))
    return out


SIGMA_METHOD = ("SD (ddof 1) of country scores on the common indicators, later - earlier; percentile bootstrap "
                "over countries ({draws} resamples); p: Pitman-Morgan test of equal paired variances")
BETA_METHOD = "OLS of the change on the earlier score with an intercept; HC3 SE; t(n-2) interval"
BETA_POOLED_METHOD = ("OLS of the dimension changes on the earlier dimension score with one intercept per dimension; "
                      "CR1 cluster-robust SE by country; t(G-1) interval")


def convergence(change: pd.DataFrame, draws: int, seed: int, alpha: float = 0.05) -> pd.DataFrame:
    rows = []
    c = change[change["level"].isin(["overall", "dimension"])].dropna(subset=["score_from", "score_to"])
    for (r1, r2), g in c.groupby(["from_round", "to_round"], sort=True):
        for (level, dim), u in g.groupby(["level", "dimension"], dropna=False, sort=True):
            key = {"from_round": r1, "to_round": r2, "level": level, "dimension": _none(dim)}
            u = u.sort_values("country")
            rng = unit_rng(seed, r1, r2, level, str(_none(dim)))
            rows.append({"kind": "sigma", **key, **sigma_convergence(u["score_from"], u["score_to"], draws, rng, alpha),
                         "method": SIGMA_METHOD.format(draws=draws)})
            rows.append({"kind": "beta", **key, **beta_convergence(u["score_from"], u["score_to"], alpha),
                         "method": BETA_METHOD})
        dims = g[g["level"] == "dimension"]
        fit = beta_convergence(dims["score_from"], dims["score_to"], alpha, groups=dims["country"], intercepts=dims["dimension"])
        rows.append({"kind": "beta", "from_round": r1, "to_round": r2, "level": "dimensions_pooled", "dimension": None,
                     **fit, "method": BETA_POOLED_METHOD})
    return _sorted(pd.DataFrame(rows), ["kind", "from_round", "to_round", "level", "dimension"])


# --- per-country change intervals ---------------------------------------------------------------------

def country_change_intervals(paired: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    rows = []
    pp = paired[paired["delta"].notna()]
    for (country, r1, r2), g in pp.groupby(["country", "from_round", "to_round"], sort=True):
        key = {"country": country, "from_round": r1, "to_round": r2}
        fit = fit_mean(g["delta"], g["weight"], groups=g["dimension"], alpha=alpha)
        rows.append({**key, "level": "overall", "dimension": None, **_interval(fit),
                     "method": "WLS of paired indicator changes on an intercept (weights: step weight / indicators "
                               "paired in the step); CR1 cluster-robust SE by dimension; t(G-1) interval"})
        for dim, d in g.groupby("dimension", sort=True):
            fit = fit_mean(d["delta"], d["weight"], alpha=alpha)
            rows.append({**key, "level": "dimension", "dimension": dim, **_interval(fit),
                         "method": "WLS of paired indicator changes on an intercept (weights: step weight / indicators "
                                   "paired in the step); HC1 SE; t(n-1) interval"})
    return _sorted(pd.DataFrame(rows), ["country", "from_round", "to_round", "level", "dimension"])


def _interval(fit: dict) -> dict:
    return {"change": fit["estimate"], "ci_low": fit["ci_low"], "ci_high": fit["ci_high"], "n_indicators": fit["n"]}
