"""Robustness of scores and ranks to defensible method choices: a vectorised Monte Carlo.

Each draw re-scores every country and round under a random combination of four choices (each
independently left at the configured baseline, or moved to its alternative with probability
``alternative_probability``):

* ``mean``: arithmetic or geometric mean from steps upwards (the one not configured);
* ``step_weights``: the configured weights, or weights drawn from a Dirichlet distribution centred
  on them with total concentration ``step_weight_concentration``;
* ``missing_data``: "no data" and unanswered indicators left out (exclude) or counted as 0 (zero);
* ``drop_indicator``: none, or one scored indicator (uniform over the codebook's scored
  indicators) left out as if it had never been asked.

The other scoring rules (coverage minimum, min_steps, min_dimension_share, overall_from) are kept.
With the baseline choices the scores equal those of ``niem.scoring`` (tests check this).

Speed: indicator points are precomputed once as arrays (unit = country x round); per-cell sums
over indicators are a matrix product; a draw's dropped indicator is subtracted from its cell with
fancy indexing; steps -> dimensions -> areas -> overall are array reductions. Draws are processed
in chunks only to bound memory; there is no Python loop over draws or countries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scoring.rules import GEOMETRIC_FLOOR, ScoringRules

CHOICES = ("mean", "step_weights", "missing_data", "drop_indicator")
PERCENTILES = (5, 50, 95)


@dataclass(frozen=True)
class PointArrays:
    """Scored indicator data of every country x round (unit index = round index * n_countries + country index)."""
    countries: tuple[str, ...]
    rounds: tuple[str, ...]
    dimensions: tuple[str, ...]          # scored dimensions, codebook order
    steps: tuple[str, ...]
    area_of_dimension: np.ndarray        # (n_dimensions,) area index of each dimension
    n_areas: int
    indicators: tuple[str, ...]          # scored indicators; column len(indicators) is an all-zero "none" column
    cell: np.ndarray                     # (n_indicators + 1,) cell index = dimension index * n_steps + step index
    points: np.ndarray                   # (units, n_indicators + 1) points of answered indicators, else 0
    answered: np.ndarray                 # (units, n_indicators + 1) 1.0 where answered
    missing: np.ndarray                  # 1.0 where "no data" or unanswered (asked)
    applicable: np.ndarray               # 1.0 where asked and not "not applicable"

    @property
    def n_units(self) -> int:
        return len(self.countries) * len(self.rounds)

    @property
    def n_cells(self) -> int:
        return len(self.dimensions) * len(self.steps)


def build_arrays(columns: dict[str, list], codebook, countries: list[str], rounds: list[str]) -> PointArrays:
    """Arrays from the columns (country, round, indicator_id, kind, status, points) of indicator_scores."""
    dims = tuple(codebook.scored_dimensions)
    steps = tuple(codebook.step_ids)
    scored = tuple(i.id for i in codebook.indicators if i.kind == "scored")
    col = {ind: j for j, ind in enumerate(scored)}
    by_id = codebook.by_id
    cell = np.array([dims.index(by_id[i].dimension) * len(steps) + steps.index(by_id[i].step) for i in scored] + [0])
    areas = [a["id"] for a in codebook.areas if any(codebook.dimension_area[d] == a["id"] for d in dims)]
    shape = (len(countries) * len(rounds), len(scored) + 1)
    points, answered, missing, applicable = (np.zeros(shape) for _ in range(4))
    c_idx = {c: k for k, c in enumerate(countries)}
    r_idx = {r: k for k, r in enumerate(rounds)}
    for country, round_id, ind, kind, status, pts in zip(*(columns[k] for k in ("country", "round", "indicator_id", "kind", "status", "points"))):
        if kind != "scored" or country not in c_idx or round_id not in r_idx:
            continue
        u, j = r_idx[round_id] * len(countries) + c_idx[country], col[ind]
        if status == "answered":
            points[u, j], answered[u, j] = pts, 1.0
        elif status in ("no_data", "unanswered"):
            missing[u, j] = 1.0
        applicable[u, j] = float(status != "not_applicable")
    return PointArrays(tuple(countries), tuple(rounds), dims, steps,
                       np.array([areas.index(codebook.dimension_area[d]) for d in dims]), len(areas),
                       scored, cell, points, answered, missing, applicable)


@dataclass(frozen=True)
class Choices:
    """Method choices of each draw (length n_draws) and the option label of each choice per draw."""
    geometric: np.ndarray      # bool
    weights: np.ndarray        # (n_draws, n_steps), rows sum to 1
    zero: np.ndarray           # bool: missing_data zero
    drop: np.ndarray           # int indicator column; n_indicators = none
    options: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.drop)


def _base_weights(arrays: PointArrays, rules: ScoringRules) -> np.ndarray:
    w = np.array([rules.weight(s) for s in arrays.steps], dtype=float)
    return w / w.sum()


def baseline_choices(arrays: PointArrays, rules: ScoringRules, n: int = 1) -> Choices:
    geo, zero = rules.mean == "geometric", rules.missing_data == "zero"
    return Choices(np.full(n, geo), np.tile(_base_weights(arrays, rules), (n, 1)), np.full(n, zero),
                   np.full(n, len(arrays.indicators)),
                   {"mean": np.full(n, rules.mean), "step_weights": np.full(n, "configured"),
                    "missing_data": np.full(n, rules.missing_data), "drop_indicator": np.full(n, "none")})


def draw_choices(arrays: PointArrays, rules: ScoringRules, draws: int, seed: int, choices=CHOICES,
                 concentration: float = 30.0, alternative_probability: float = 0.5) -> Choices:
    """Random choices per draw. Every random number is drawn whether or not its choice is enabled,
    so enabling or disabling one choice leaves the others' draws unchanged."""
    unknown = set(choices) - set(CHOICES)
    if unknown:
        raise ValueError(f"unknown robustness choice(s): {', '.join(sorted(unknown))}; expected {', '.join(CHOICES)}")
    rng = np.random.default_rng(seed)
    base = baseline_choices(arrays, rules, draws)
    alt = {c: (rng.random(draws) < alternative_probability) & (c in choices) for c in CHOICES}
    dirichlet = rng.dirichlet(concentration * _base_weights(arrays, rules), size=draws)
    dropped = rng.integers(0, len(arrays.indicators), size=draws)
    other_mean = "arithmetic" if rules.mean == "geometric" else "geometric"
    other_missing = "exclude" if rules.missing_data == "zero" else "zero"
    return Choices(
        geometric=base.geometric ^ alt["mean"],
        weights=np.where(alt["step_weights"][:, None], dirichlet, base.weights),
        zero=base.zero ^ alt["missing_data"],
        drop=np.where(alt["drop_indicator"], dropped, base.drop),
        options={"mean": np.where(alt["mean"], other_mean, rules.mean),
                 "step_weights": np.where(alt["step_weights"], "dirichlet", "configured"),
                 "missing_data": np.where(alt["missing_data"], other_missing, rules.missing_data),
                 "drop_indicator": np.where(alt["drop_indicator"], "one indicator", "none")})


def _mean(values: np.ndarray, weights: np.ndarray, geometric: np.ndarray, min_available) -> np.ndarray:
    """Weighted arithmetic or geometric mean over the last axis, ignoring NaN; NaN where fewer than
    ``min_available`` values exist. A geometric mean counts values below GEOMETRIC_FLOOR as the floor
    (as niem.scoring.combine).
    ``geometric`` has one flag per draw (the first axis); ``weights`` broadcasts against ``values``."""
    avail = ~np.isnan(values)
    w = np.where(avail, weights, 0.0)
    total = w.sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (w * np.where(avail, values, 0.0)).sum(-1) / total
        geo = np.flatnonzero(geometric)
        if geo.size:                                     # only the draws that use a geometric mean
            v, a, wg = values[geo], avail[geo], w[geo]
            logs = (wg * np.log(np.where(a, np.maximum(v, GEOMETRIC_FLOOR), 1.0))).sum(-1) / total[geo]
            out[geo] = np.exp(logs)
    return np.where(avail.sum(-1) >= min_available, out, np.nan)


def _scores_chunk(arrays: PointArrays, rules: ScoringRules, ch: Choices, sl: slice) -> np.ndarray:
    """(draws, units, 1 + n_dimensions): overall score, then each dimension's, for the draws in ``sl``."""
    drop, zero, geo, weights = ch.drop[sl], ch.zero[sl], ch.geometric[sl], ch.weights[sl]
    n, U, K = len(drop), arrays.n_units, arrays.n_cells
    onehot = np.zeros((len(arrays.cell), K))
    onehot[np.arange(len(arrays.cell)), arrays.cell] = 1.0
    rows, units, cells = np.arange(n)[:, None], np.arange(U)[None, :], arrays.cell[drop][:, None]
    sums = {}
    for name in ("points", "answered", "missing", "applicable"):
        m = getattr(arrays, name)
        s = np.broadcast_to(m @ onehot, (n, U, K)).copy()
        s[rows, units, cells] -= m[:, drop].T
        sums[name] = s
    in_mean = sums["answered"] + np.where(zero, 1.0, 0.0)[:, None, None] * sums["missing"]
    with np.errstate(divide="ignore", invalid="ignore"):
        step = sums["points"] / in_mean
        coverage = sums["answered"] / sums["applicable"]
    step = np.where((sums["applicable"] > 0) & (coverage >= rules.min_indicator_coverage) & (in_mean > 0), step, np.nan)
    step = step.reshape(n, U, len(arrays.dimensions), len(arrays.steps))
    dims = _mean(step, weights[:, None, None, :], geo, rules.min_steps)                  # (n, U, D)
    share = rules.min_dimension_share
    if rules.overall_from == "areas":
        areas = np.stack([_area(dims[..., arrays.area_of_dimension == a], geo, share) for a in range(arrays.n_areas)], axis=-1)
        overall = _area(areas, geo, share)
    else:
        overall = _area(dims, geo, share)
    return np.concatenate([overall[..., None], dims], axis=-1)


def _area(values: np.ndarray, geometric, min_share: float) -> np.ndarray:
    """Unweighted mean over the last axis, missing when less than ``min_share`` of the parts exist."""
    parts = values.shape[-1]
    return _mean(values, np.ones(parts), geometric, min_share * parts - 1e-9)


def scores(arrays: PointArrays, rules: ScoringRules, choices: Choices, chunk: int = 1000) -> np.ndarray:
    """(draws, rounds, countries, levels) scores; levels = overall, then the scored dimensions."""
    out = np.concatenate([_scores_chunk(arrays, rules, choices, slice(i, i + chunk)) for i in range(0, len(choices), chunk)])
    return out.reshape(len(choices), len(arrays.rounds), len(arrays.countries), -1)


def ranks(values: np.ndarray, axis: int = 2) -> np.ndarray:
    """Ranks along ``axis``: 1 = highest score, tied scores share the average of their ranks (so the
    ranks of n countries always sum to n(n+1)/2 and, without ties, are a permutation of 1..n);
    missing scores get NaN (and are ranked after the others)."""
    v = np.moveaxis(values, axis, -1)
    key = np.where(np.isnan(v), np.inf, -v)                        # ascending key: best first, missing last
    order = np.argsort(key, axis=-1, kind="stable")
    s = np.take_along_axis(key, order, -1)
    n = s.shape[-1]
    idx = np.broadcast_to(np.arange(n), s.shape)
    first = np.ones(s.shape, bool)
    first[..., 1:] = s[..., 1:] != s[..., :-1]
    last = np.ones(s.shape, bool)
    last[..., :-1] = first[..., 1:]
    start = np.maximum.accumulate(np.where(first, idx, 0), axis=-1)
    end = np.flip(np.minimum.accumulate(np.flip(np.where(last, idx, n - 1), -1), axis=-1), -1)
    r = np.empty(s.shape)
    np.put_along_axis(r, order, (start + end) / 2 + 1, axis=-1)
    return np.moveaxis(np.where(np.isnan(v), np.nan, r), -1, axis)


def _percentiles(values: np.ndarray, method: str) -> np.ndarray:
    fn = np.nanpercentile if np.isnan(values).any() else np.percentile
    return fn(values, PERCENTILES, axis=0, method=method)


def _opt(x):
    return round(float(x), 6) if x is not None and np.isfinite(x) else None


def monte_carlo(arrays: PointArrays, rules: ScoringRules, choices: Choices) -> tuple[list[dict], list[dict]]:
    """Rows of robustness_scores and robustness_choices for the given draws."""
    base = scores(arrays, rules, baseline_choices(arrays, rules))[0]          # (R, C, L)
    base_rank = ranks(base, axis=1)
    drawn = scores(arrays, rules, choices)                                   # (D, R, C, L)
    drawn_rank = ranks(drawn)
    s_pct = _percentiles(drawn, "linear")
    r_pct = _percentiles(drawn_rank, "inverted_cdf")
    n_ok = (~np.isnan(drawn)).sum(axis=0)
    levels = [("overall", None)] + [("dimension", d) for d in arrays.dimensions]
    score_rows = []
    for ri, round_id in enumerate(arrays.rounds):
        for ci, country in enumerate(arrays.countries):
            for li, (level, dim) in enumerate(levels):
                at = (ri, ci, li)
                score_rows.append({
                    "country": country, "round": round_id, "level": level, "dimension": dim,
                    "score_baseline": _opt(base[at]), "score_median": _opt(s_pct[(1, *at)]),
                    "score_p05": _opt(s_pct[(0, *at)]), "score_p95": _opt(s_pct[(2, *at)]),
                    "rank_baseline": _opt(base_rank[at]), "rank_median": _opt(r_pct[(1, *at)]),
                    "rank_p05": _opt(r_pct[(0, *at)]), "rank_p95": _opt(r_pct[(2, *at)]),
                    "n_draws": int(n_ok[at])})
    score_rows.sort(key=lambda r: (r["country"], r["round"], r["level"] != "overall", r["dimension"] or ""))
    shift = np.abs(drawn_rank - base_rank[None])
    with np.errstate(invalid="ignore"):
        flat = shift.reshape(len(choices), -1)
        per_draw_mean = np.nanmean(np.where(np.isnan(flat).all(1, keepdims=True), 0.0, flat), axis=1)
        per_draw_max = np.nanmax(np.where(np.isnan(flat), 0.0, flat), axis=1)
    groups = [("all", "all draws", np.ones(len(choices), bool))]
    for choice in CHOICES:
        labels = choices.options[choice]
        groups += [(choice, str(opt), labels == opt) for opt in sorted(set(labels.tolist()))]
    choice_rows = [{"choice": c, "option": o, "n_draws": int(m.sum()),
                    "mean_abs_rank_shift": _opt(per_draw_mean[m].mean()) if m.any() else None,
                    "max_abs_rank_shift": _opt(per_draw_max[m].max()) if m.any() else None}
                   for c, o, m in groups]
    return score_rows, choice_rows
