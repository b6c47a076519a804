"""Design of the ILLUSTRATIVE indicator answers (NIEM's real questionnaire answers are not public).

Run once, by hand, through ``scripts/generate_illustrative_answers.py``; its output under
``raw/evidence/`` is committed. The design works top-down and is seeded, so it is reproducible:

1. target dimension scores for 2021 (row means = published overall scores, column spreads =
   published spreads, building bridges lowest everywhere, national conclusions as preferences);
2. designed changes 2019->2021 and 2017->2019 (published directions of change) give 2019, 2017;
3. each dimension score is split into its three step scores (country step profiles);
4. each step score is turned into answers to the step's indicators: categorical answers near the
   target, and the step's numeric indicator set so that the mean of points equals the target;
5. statistical indicators get illustrative numbers or "no data" following the published data gaps,
   except where real data fix them (``fixed``: niem/inputs/seeddata.py ``real_answers``): a number or
   "no data" printed in the Summary's BIP-statistics table, "no data" where a country's data-availability
   findings say so, no answer where the table's column refers to another date. Real answers carry a
   note starting "REAL:"; person counts of a country with a printed stock stay below that stock.

The result is then scored by the pipeline's own functions and checked against every entry of
config/published_figures.yaml (see the script).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from .codebook import NO_DATA, NOT_APPLICABLE, Codebook, Indicator, numeric_points
from .seeddata import STOCK_INDICATOR, FixedAnswer

COUNTRIES = ["BG", "CZ", "FR", "GR", "HU", "IT", "LV", "LT", "NL", "PL", "RO", "SI", "ES", "SE"]
ROUNDS = ["2017", "2019", "2021"]
DIMS = ["mainstreaming", "residency", "family_reunification", "citizenship", "housing", "employment",
        "vocational_training", "health", "social_security", "education", "language_learning", "building_bridges"]
STEPS = ["legal", "policy", "implementation"]

# Published 2021 overall scores; CZ, NL and ES are not published anywhere accessible: their values
# here are illustrative choices consistent with the published ranking (Italy 6th, all three >= 50).
OVERALL_2021 = {"SE": 72.5, "FR": 67.5, "LT": 62.6, "NL": 58.0, "ES": 55.4, "IT": 52.9, "CZ": 51.6,
                "LV": 50.7, "SI": 50.1, "GR": 39.5, "RO": 38.5, "BG": 37.1, "PL": 36.9, "HU": 32.8}
# Published 2021 spreads: language learning 92.7 (widest), family reunification 37.8 (narrowest),
# mean over the 12 dimensions 59.4; the other ten are illustrative choices with that mean.
SPREAD_2021 = {"mainstreaming": 66.0, "residency": 55.0, "family_reunification": 37.8, "citizenship": 62.0,
               "housing": 58.0, "employment": 66.0, "vocational_training": 62.0, "health": 52.0,
               "social_security": 63.3, "education": 56.0, "language_learning": 92.7, "building_bridges": 42.0}
# Romania 2019 step scores (published).
RO_STEPS_2019 = {"legal": 58.9, "policy": 37.2, "implementation": 20.3}

# Dimension level relative to a country's overall (2021), and how strongly it follows the country's level.
DIM_OFFSET = {"mainstreaming": -4, "residency": 10, "family_reunification": 3, "citizenship": -7, "housing": -9,
              "employment": -3, "vocational_training": -1, "health": 15, "social_security": 6, "education": 13,
              "language_learning": 16, "building_bridges": -30}
DIM_SLOPE = {"language_learning": 2.2, "family_reunification": 0.5, "health": 0.9}
# National conclusions (NIEM Project Summary 2016-2022) as preferences on the 2021 profile.
PREFERENCE = {
    "NL": {"residency": 16, "housing": 30, "health": 12, "education": -10, "employment": 10, "citizenship": -18, "language_learning": -28},
    "CZ": {"social_security": 24, "language_learning": 6, "employment": 6},
    "LT": {"employment": 20}, "ES": {"employment": 24},
    "IT": {"health": 9, "education": -16, "residency": -14, "social_security": -14, "family_reunification": -8,
           "language_learning": -28, "vocational_training": -10, "citizenship": -10},
    "LV": {"housing": -20, "mainstreaming": -18, "employment": 20},
    "HU": {"housing": -20, "employment": -20, "language_learning": -10, "citizenship": 8, "vocational_training": 8},
    # Slovenia: education a positive side; issues in housing, health care, employment and language
    "SI": {"education": 14, "housing": -6, "health": -18, "employment": -8, "language_learning": -18},
    "SE": {"employment": 24, "mainstreaming": 20, "language_learning": -35, "vocational_training": -10, "education": -8},
    "PL": {"education": 6, "health": 4, "vocational_training": 8},
    "FR": {"residency": 6},
    "GR": {"housing": 4},
}

# Designed changes. Overall change per country (2017->2019; 2019->2021 is implied for the
# countries with published 2021 scores only through these choices).
CHANGE_1 = {"FR": 6.0, "LT": 5.0, "LV": 3.8, "SI": 3.0, "ES": 2.0, "GR": 1.6, "CZ": 1.0, "NL": 0.8, "SE": 0.6,
            "BG": 0.6, "PL": 0.5, "IT": -1.0, "RO": -1.6, "HU": -1.2}
CHANGE_2 = {"SE": -0.4, "FR": 0.3, "LT": 0.8, "NL": -0.3, "ES": 0.9, "IT": 1.5, "CZ": -0.5, "LV": 0.3,
            "SI": -0.6, "GR": 1.8, "RO": -0.3, "BG": -0.4, "PL": -0.9, "HU": -1.5}
# Mean change by dimension (added to the country's change, then re-centred per country).
DIM_CHANGE_1 = {"social_security": 7.5, "employment": 4.8, "health": 3.4, "education": 1.5, "residency": -2.4,
                "housing": -2.2, "mainstreaming": 0.3, "family_reunification": 0.2, "citizenship": 0.1,
                "vocational_training": 0.4, "language_learning": 0.5, "building_bridges": 0.0}
DIM_CHANGE_2 = {"residency": -2.6, "housing": -2.2, "social_security": -2.3, "citizenship": 1.6,
                "family_reunification": 1.6, "language_learning": 1.9, "mainstreaming": 0.2, "employment": 0.3,
                "vocational_training": 0.1, "health": 0.2, "education": 0.6, "building_bridges": 0.4}
# Country step profile (legal, policy, implementation offsets around the dimension score).
STEP_PROFILE = {c: (13.0, -1.0, -12.0) for c in COUNTRIES}
STEP_PROFILE.update({"RO": (20.0, -1.5, -18.5), "LT": (15.0, -2.0, -13.0), "ES": (16.0, -2.0, -14.0),
                     "PL": (15.0, 0.0, -15.0), "SE": (9.0, 0.0, -9.0)})


# Poland: legal framework "especially developed in education, health and vocational training"
# Lithuania 2019 (national report): legal indicators favourable in health care and vocational training
LEGAL_BOOST = {("PL", "education"): 14.0, ("PL", "health"): 14.0, ("PL", "vocational_training"): 22.0,
               ("LT", "health"): 10.0, ("LT", "vocational_training"): 10.0}


def _fit_2021(rng: np.random.Generator) -> np.ndarray:
    """14 x 12 matrix of 2021 dimension scores meeting the row means and column spreads exactly."""
    o = np.array([OVERALL_2021[c] for c in COUNTRIES])
    z = (o - o.mean()) / o.std()
    m = np.zeros((len(COUNTRIES), len(DIMS)))
    for j, d in enumerate(DIMS):
        for i, c in enumerate(COUNTRIES):
            m[i, j] = o[i] + DIM_OFFSET[d] + DIM_SLOPE.get(d, 1.3) * 8 * z[i] + PREFERENCE.get(c, {}).get(d, 0)
    m += rng.normal(0, 2.5, m.shape)
    bb = DIMS.index("building_bridges")
    spread = np.array([SPREAD_2021[d] for d in DIMS])
    for _ in range(400):
        mean = m.mean(axis=0)
        m = mean + (m - mean) * spread / (m.max(axis=0) - m.min(axis=0))
        m += (o - m.mean(axis=1))[:, None]
        others = np.delete(m, bb, axis=1).min(axis=1)
        m[:, bb] = np.minimum(m[:, bb], others - 3.0)
        m = np.clip(m, 1.0, 99.0)
    # exact finish: set each column's extremes to the exact spread, re-balance rows on free cells
    for _ in range(200):
        for j in range(len(DIMS)):
            lo, hi = m[:, j].argmin(), m[:, j].argmax()
            m[hi, j] = m[lo, j] + spread[j]
        for i in range(len(COUNTRIES)):
            extremes = {j for j in range(len(DIMS)) if i in (m[:, j].argmin(), m[:, j].argmax())}
            # building bridges must stay the country's lowest dimension: lift any cell too close to it
            for j in range(len(DIMS)):
                if j != bb and j not in extremes and m[i, j] < m[i, bb] + 2.0:
                    m[i, j] = m[i, bb] + 2.0
            free = [j for j in range(len(DIMS)) if j != bb and j not in extremes and m[i, j] > m[i, bb] + 4.0]
            m[i, free] += (o[i] - m[i].mean()) * len(DIMS) / len(free)
    return m


def _centre_rows(delta: np.ndarray, row_means: np.ndarray) -> np.ndarray:
    return delta + (row_means - delta.mean(axis=1))[:, None]


def _changes(rng: np.random.Generator, base: dict, per_dim: dict, noise: float) -> np.ndarray:
    d = np.array([[base[c] + per_dim[dim] for dim in DIMS] for c in COUNTRIES])
    d += rng.normal(0, noise, d.shape)
    return _centre_rows(d, np.array([base[c] for c in COUNTRIES]))


def _recentre_free(delta: np.ndarray, fixed: np.ndarray, row_means: np.ndarray) -> np.ndarray:
    """Restore each country's mean change by shifting only the cells not fixed by an override."""
    for i in range(delta.shape[0]):
        free = ~fixed[i]
        if not free.any():  # a fully designed row keeps its own mean
            continue
        delta[i, free] += (row_means[i] - delta[i].mean()) * delta.shape[1] / free.sum()
    return delta


def _apply_overrides_1(delta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """2017->2019 specifics: France improves in exactly 10 of 12 dimensions; health declines in many
    countries although its mean change is third highest; residency and housing decline widely;
    Sweden barely changes (national report: only a couple of changes 2017-2021)."""
    ci = {c: i for i, c in enumerate(COUNTRIES)}
    dj = {d: j for j, d in enumerate(DIMS)}
    fixed = np.zeros(delta.shape, dtype=bool)
    fr = ci["FR"]
    delta[fr] = 7.2
    delta[fr, dj["housing"]] = -1.0
    delta[fr, dj["health"]] = 1.0
    fixed[fr] = True
    se = ci["SE"]
    delta[se] = 0.97 + rng.normal(0, 0.3, len(DIMS))
    delta[se, dj["housing"]] = -3.5
    fixed[se] = True
    decliners = {"health": ["BG", "CZ", "GR", "HU", "PL", "RO"],
                 "residency": ["BG", "CZ", "GR", "HU", "IT", "NL", "PL", "RO", "ES"],
                 "housing": ["BG", "CZ", "LV", "HU", "IT", "NL", "RO", "SE"]}
    for dim, countries in decliners.items():
        for c in countries:
            if c != "SE":
                delta[ci[c], dj[dim]] = -3.0 - rng.uniform(0, 1.5)
            fixed[ci[c], dj[dim]] = True
    delta[ci["LV"], dj["residency"]] = 2.5   # Latvia: residence permits improved
    fixed[ci["LV"], dj["residency"]] = True
    for c in COUNTRIES:
        if c not in decliners["health"] and c not in ("FR", "SE"):
            delta[ci[c], dj["health"]] = 11.0 + rng.uniform(0, 1.5)
            fixed[ci[c], dj["health"]] = True
    delta = _recentre_free(delta, fixed, np.array([CHANGE_1[c] for c in COUNTRIES]))
    # other dimensions: keep declines rare (at most 3 countries) so the published top three stand out
    for dim in DIMS:
        if dim in decliners:
            continue
        col = delta[:, dj[dim]]
        for k in np.argsort(col)[3:]:
            if col[k] <= -2.4 and COUNTRIES[k] not in ("FR", "SE"):
                col[k] = -2.0
    return delta


def _apply_overrides_2(delta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """2019->2021 specifics: Poland (housing, vocational training, health down; social security up),
    Greece housing up, France residency up, Slovenia family reunification up, Sweden flat."""
    ci = {c: i for i, c in enumerate(COUNTRIES)}
    dj = {d: j for j, d in enumerate(DIMS)}
    fixed = np.zeros(delta.shape, dtype=bool)
    for (c, d), v in {("PL", "housing"): -2.5, ("PL", "vocational_training"): -2.5, ("PL", "health"): -2.0,
                      ("PL", "social_security"): 2.5, ("GR", "housing"): 4.0, ("FR", "residency"): 1.5,
                      ("SI", "family_reunification"): 3.0}.items():
        delta[ci[c], dj[d]] = v
        fixed[ci[c], dj[d]] = True
    se = ci["SE"]
    delta[se] = CHANGE_2["SE"] + rng.normal(0, 0.3, len(DIMS))
    fixed[se] = True
    return _recentre_free(delta, fixed, np.array([CHANGE_2[c] for c in COUNTRIES]))


def design_targets(seed: int) -> dict[tuple[str, str, str], float]:
    """Dimension targets (country, round, dimension) -> score for all rounds."""
    rng = np.random.default_rng(seed)
    d21 = _fit_2021(rng)
    ch2 = _apply_overrides_2(_changes(rng, CHANGE_2, DIM_CHANGE_2, 1.2), rng)
    ch1 = _apply_overrides_1(_changes(rng, CHANGE_1, DIM_CHANGE_1, 1.2), rng)
    out = {}
    for i, c in enumerate(COUNTRIES):
        for j, d in enumerate(DIMS):
            out[(c, "2021", d)] = d21[i, j]
            out[(c, "2019", d)] = d21[i, j] - ch2[i, j]
            out[(c, "2017", d)] = d21[i, j] - ch2[i, j] - ch1[i, j]
    return out


def split_steps(score: float, offsets: tuple[float, float, float]) -> tuple[float, float, float]:
    """Three step scores with mean ``score``, shaped by ``offsets`` (shrunk to stay within 0-100)."""
    off = np.array(offsets) - np.mean(offsets)
    t = 1.0
    for o in off:
        if o > 0:
            t = min(t, (100.0 - score) / o)
        elif o < 0:
            t = min(t, score / -o)
    cells = score + t * off
    return tuple(float(x) for x in cells)


# --- answers -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    indicator_id: str
    answer: str
    source: str
    note: str


SOURCE = "ILLUSTRATIVE: synthetic answer, no real source"


def cell_answers(target: float, indicators: list[Indicator], missing: dict[str, str], rng: random.Random,
                 prefer_high: bool = False, previous: dict[str, str] | None = None,
                 anchored: frozenset[str] = frozenset()) -> dict[str, str]:
    """Answers whose points average exactly ``target`` (to the numeric answer's 2-decimal precision).

    ``missing`` maps indicator ids to NO_DATA / NOT_APPLICABLE; the numeric indicator is always
    answered, because it is the one that closes the gap to the target. ``anchored`` indicators
    (revised between rounds) take the option nearest the target, so that the indicators common to
    two rounds average close to the target too and change on common indicators stays as designed.
    """
    knob = next(i for i in indicators if i.numeric)
    cats = [i for i in indicators if not i.numeric and i.id not in missing]
    n = len(cats) + 1
    choice = {}
    for ind in cats:
        pts = sorted(o.points for o in ind.options)
        before = (previous or {}).get(ind.id)
        if ind.id in anchored:
            choice[ind.id] = min(pts, key=lambda p: abs(p - target))
            continue
        if before in ind.option_values():
            # answers persist between rounds unless the target forces a move (below)
            choice[ind.id] = next(o.points for o in ind.options if o.value == before)
            continue
        want = target + rng.gauss(0, 18)
        if prefer_high:
            want = max(want, target + 15)
        choice[ind.id] = min(pts, key=lambda p: (abs(p - want), -p))
    # the knob must take n*target - sum(categorical points); move categorical answers until feasible
    for _ in range(200):
        need = n * target - sum(choice.values())
        if 0.0 <= need <= 100.0:
            break
        if not cats:
            break
        movable = [i for i in cats if i.id not in anchored] or cats
        ind = rng.choice(movable)
        pts = sorted(o.points for o in ind.options)
        k = pts.index(choice[ind.id])
        if need > 100.0 and k + 1 < len(pts):
            choice[ind.id] = pts[k + 1]
        elif need < 0.0 and k > 0:
            choice[ind.id] = pts[k - 1]
    need = min(100.0, max(0.0, n * target - sum(choice.values())))
    value = knob.worst + need / 100.0 * (knob.best - knob.worst)
    value = round(value, 2)
    answers = {knob.id: f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0")}
    for ind in cats:
        answers[ind.id] = next(o.value for o in ind.options if o.points == choice[ind.id])
    answers.update(missing)
    return answers


def realised(indicators: list[Indicator], answers: dict[str, str]) -> float:
    pts = []
    for ind in indicators:
        a = answers.get(ind.id)
        if a is None or a in (NO_DATA, NOT_APPLICABLE):
            continue
        pts.append(numeric_points(float(a), ind.best, ind.worst) if ind.numeric else next(o.points for o in ind.options if o.value == a))
    return sum(pts) / len(pts)


def _fmt_number(value: float, unit: str) -> str:
    if unit in ("count", "persons", "EUR"):
        return str(int(round(value)))
    return f"{value:.1f}"


def statistical_value(ind: Indicator, rng: random.Random, ceiling: float | None = None) -> str:
    """An illustrative number; ``ceiling``: a real stock of BIPs that a count of persons must stay below."""
    lo = ind.minimum
    hi = ind.maximum
    unit = ind.unit
    if unit == "percent":
        v = rng.uniform(max(lo, 3.0), min(hi if hi is not None else 100.0, 85.0))
    elif unit in ("EUR",):
        v = math.exp(rng.uniform(math.log(2e5), math.log(6e7)))
    elif unit in ("count", "persons"):
        v = math.exp(rng.uniform(math.log(10), math.log(5000)))
        if unit == "persons" and ceiling is not None:
            v = v / 5000 * 0.6 * ceiling   # same draw, scaled to at most 60% of the printed stock
    elif unit == "days":
        v = rng.uniform(30, 400)
    elif unit == "months":
        v = rng.uniform(1, 30)
    elif unit == "hours":
        v = rng.uniform(50, 900)
    else:
        v = rng.uniform(1, 10)
    if hi is not None:
        v = min(v, hi)
    v = max(v, lo)
    return _fmt_number(v, unit)


# --- assembly ----------------------------------------------------------------------------------

def clip_keeping_mean(cells: list[float]) -> list[float]:
    """Clip scores into [0, 100] keeping their mean (moving the excess onto the unclipped ones)."""
    cells = list(cells)
    for _ in range(10):
        excess = 0.0
        free = []
        for k, v in enumerate(cells):
            if v < 0.0:
                excess += v
                cells[k] = 0.0
            elif v > 100.0:
                excess += v - 100.0
                cells[k] = 100.0
            else:
                free.append(k)
        if abs(excess) < 1e-12 or not free:
            break
        for k in free:
            cells[k] += excess / len(free)
    return cells


def step_targets(dims: dict[tuple[str, str, str], float], seed: int) -> dict[tuple[str, str, str, str], float]:
    """Step-level targets for every country, round, dimension and step.

    2019 comes from the dimension target and the country's step profile (Romania's steps are set
    to its published 2019 values); 2021 and 2017 differ from 2019 by designed step changes: legal
    and policy change little, implementation & collaboration carries most change (the published
    finding for 2017-2019) and gains on average 2019-2021.
    """
    rng = np.random.default_rng(seed + 1)
    cells: dict[tuple[str, str, str, str], float] = {}
    for c in COUNTRIES:
        for d in DIMS:
            wobble = rng.normal(0, 2.0, 3)
            prof = tuple(np.array(STEP_PROFILE[c]) + wobble - wobble.mean())
            boost = LEGAL_BOOST.get((c, d), 0.0)
            prof = (prof[0] + boost, prof[1] - boost / 2, prof[2] - boost / 2)
            for s, v in zip(STEPS, split_steps(dims[(c, "2019", d)], prof)):
                cells[(c, "2019", d, s)] = v
    for s in STEPS:  # Romania 2019, published: shift each step to its printed value (within 0-100)
        cur = np.mean([cells[("RO", "2019", d, s)] for d in DIMS])
        shifted = clip_keeping_mean([cells[("RO", "2019", d, s)] + RO_STEPS_2019[s] - cur for d in DIMS])
        for d, v in zip(DIMS, shifted):
            cells[("RO", "2019", d, s)] = v
    legal_shift_1 = {c: rng.normal(0, 0.8) for c in COUNTRIES}
    legal_shift_1.update({"RO": -5.0, "SI": -2.0})
    policy_shift_1 = {c: rng.normal(0, 0.8) for c in COUNTRIES}
    for c in COUNTRIES:
        for d in DIMS:
            for later, earlier, legal, policy in (("2019", "2017", legal_shift_1[c], policy_shift_1[c]),):
                delta = dims[(c, later, d)] - dims[(c, earlier, d)]
                lg = legal + rng.normal(0, 1.0)
                po = policy + rng.normal(0, 1.0)
                im = 3 * delta - lg - po
                prev = [cells[(c, later, d, s)] - x for s, x in zip(STEPS, (lg, po, im))]
                for s, v in zip(STEPS, clip_keeping_mean(prev)):
                    cells[(c, earlier, d, s)] = v
            delta = dims[(c, "2021", d)] - dims[(c, "2019", d)]
            lg = -0.8 + rng.normal(0, 1.0) + (-1.0 if c == "SI" else 0.0)
            po = -0.5 + rng.normal(0, 1.0)
            im = 3 * delta - lg - po
            if c == "RO":
                im, lg = -2.0, 3 * delta + 2.0 - po
            nxt = [cells[(c, "2019", d, s)] + x for s, x in zip(STEPS, (lg, po, im))]
            for s, v in zip(STEPS, clip_keeping_mean(nxt)):
                cells[(c, "2021", d, s)] = v
    return cells


# statistical data availability (share of statistical indicators with data), by country
AVAILABILITY = {"SE": 0.97, "NL": 0.95, "CZ": 0.72, "FR": 0.62, "LT": 0.6, "LV": 0.7, "SI": 0.58, "IT": 0.55,
                "ES": 0.5, "PL": 0.52, "GR": 0.36, "BG": 0.32, "RO": 0.38, "HU": 0.3}
GAP_DIMS = {"residency": 0.3, "family_reunification": 0.3, "building_bridges": 0.3, "citizenship": 0.3}
GAP_THEMES = {"public_spending": 0.45, "staff_resources": 0.45, "bip_statistics": 0.6}
HU_GAP_DIMS = ["family_reunification", "citizenship", "employment", "housing", "health"]


def statistical_status(cb: Codebook, rng: random.Random) -> dict[tuple[str, str, str], bool]:
    """(country, round, indicator) -> has data, following the published data gaps of 2021.

    Per country, round and dimension the number of indicators with data is the rounded sum of
    their probabilities (quota, not coin flips, so the designed gaps hold for any seed)."""
    out = {}
    for c in COUNTRIES:
        for r in ROUNDS:
            round_factor = {"2017": 0.9, "2019": 0.95, "2021": 1.0}[r]
            stats = [i for i in cb.in_round(r) if i.kind == "statistical"]
            for d in DIMS:
                inds = [i for i in stats if i.dimension == d]
                probs = {}
                for ind in inds:
                    p = min(0.97, AVAILABILITY[c] * 1.25) * round_factor * GAP_DIMS.get(d, 1.0) * GAP_THEMES.get(ind.theme, 1.0)
                    if c in ("SE", "NL"):
                        p = 0.97 if ind.theme not in GAP_THEMES else 0.85
                    probs[ind.id] = p
                k = int(round(sum(probs.values())))
                ranked = sorted(inds, key=lambda i: probs[i.id] * rng.uniform(0.6, 1.0), reverse=True)
                for n, ind in enumerate(ranked):
                    has = n < k
                    if r == "2021" and ((c in ("IT", "ES", "RO") and d == "building_bridges") or
                                        (c in ("LT", "ES", "IT") and d == "family_reunification")):
                        has = False
                    out[(c, r, ind.id)] = has
    # Hungary 2021: "approx. a quarter of the 168 indicators unavailable", mostly in its gap dimensions:
    # no data on every statistical indicator there and on 11 of the others (+ 12 scored, see below)
    hu = [i for i in cb.in_round("2021") if i.kind == "statistical"]
    others = [i for i in hu if i.dimension not in HU_GAP_DIMS]
    lacking = {i.id for i in rng.sample(others, 11)}
    for ind in hu:
        out[("HU", "2021", ind.id)] = ind.dimension not in HU_GAP_DIMS and ind.id not in lacking
    # Latvia 2021: data on every dimension
    for d in DIMS:
        inds = [i for i in cb.in_round("2021") if i.kind == "statistical" and i.dimension == d]
        if inds and not any(out[("LV", "2021", i.id)] for i in inds):
            out[("LV", "2021", inds[0].id)] = True
    return out


def scored_missing(cb: Codebook, rng: random.Random) -> dict[tuple[str, str, str], str]:
    """(country, round, indicator) -> 'no data' / 'not applicable' for scored, non-numeric indicators."""
    out = {}
    cats = {r: [i for i in cb.in_round(r) if i.kind == "scored" and not i.numeric] for r in ROUNDS}
    plan = {"HU": {"2021": 12, "2019": 8, "2017": 8}, "BG": 3, "GR": 3, "RO": 3, "PL": 1, "IT": 1, "ES": 1}
    for c, spec in plan.items():
        for r in ROUNDS:
            n = spec[r] if isinstance(spec, dict) else spec
            pool = [i for i in cats[r] if c != "HU" or i.dimension in HU_GAP_DIMS]
            used_cells = set()
            for ind in rng.sample(pool, len(pool)):
                if n == 0:
                    break
                if (ind.dimension, ind.step) in used_cells:
                    continue
                used_cells.add((ind.dimension, ind.step))
                out[(c, r, ind.id)] = NO_DATA
                n -= 1
    for c, r, ind_id in (("SE", "2021", "CIT-L03"), ("CZ", "2019", "FR-P01"), ("LT", "2017", "HOU-I01")):
        if ind_id in cb.by_id and cb.by_id[ind_id].asked_in(r):
            out[(c, r, ind_id)] = NOT_APPLICABLE
    return out


def _stock(fixed: dict, country: str, round_id: str) -> float | None:
    fa = fixed.get((country, round_id, STOCK_INDICATOR))
    return float(fa.answer) if fa is not None and fa.answer not in (None, NO_DATA) else None


def generate(cb: Codebook, seed: int, fixed: dict[tuple[str, str, str], FixedAnswer] | None = None
             ) -> dict[tuple[str, str], list[Row]]:
    """All illustrative evidence rows, keyed by (round, country). ``fixed``: real statistical answers
    (niem/inputs/seeddata.py ``real_answers``) that replace the illustrative ones; an answer None
    leaves the indicator out of the file (unanswered)."""
    fixed = fixed or {}
    rng = random.Random(seed)
    dims = design_targets(seed)
    cells = step_targets(dims, seed)
    stat_has = statistical_status(cb, rng)
    missing = scored_missing(cb, rng)
    rows: dict[tuple[str, str], list[Row]] = {}
    previous: dict[str, dict[str, str]] = {c: {} for c in COUNTRIES}
    anchored = frozenset(i.id for i in cb.indicators if i.kind == "scored" and (i.retired_after or i.introduced != ROUNDS[0]))
    for r in ROUNDS:
        for c in COUNTRIES:
            answers: dict[str, str] = {}
            for d in DIMS:
                for s in STEPS:
                    inds = [i for i in cb.in_round(r) if i.kind == "scored" and i.dimension == d and i.step == s]
                    miss = {i.id: missing[(c, r, i.id)] for i in inds if (c, r, i.id) in missing}
                    answers.update(cell_answers(cells[(c, r, d, s)], inds, miss, rng,
                                                prefer_high=(c == "SE"), previous=previous[c], anchored=anchored))
            for ind in cb.in_round(r):
                if ind.kind == "descriptive":
                    answers[ind.id] = previous[c].get(ind.id) or rng.choice(ind.option_values())
                elif ind.kind == "statistical":
                    answers[ind.id] = statistical_value(ind, rng, _stock(fixed, c, r)) if stat_has[(c, r, ind.id)] else NO_DATA
            out = []
            for ind in cb.in_round(r):
                real = fixed.get((c, r, ind.id))
                a = answers[ind.id]
                before = previous[c].get(ind.id)
                note = ""
                if a == NO_DATA:
                    note = "Illustrative: the responsible authority does not collect or publish this information."
                elif before is not None and before != a and ind.kind != "statistical" and rng.random() < 0.93:
                    note = "Illustrative: answer revised since the previous round."
                source = "" if a in (NO_DATA, NOT_APPLICABLE) or rng.random() < 0.02 else SOURCE
                if real is not None:   # after the draws above, so the random stream is the same
                    answers[ind.id] = real.answer
                    if real.answer is not None:
                        out.append(Row(ind.id, real.answer, real.source, real.note))
                    continue
                out.append(Row(ind.id, a, source, note))
            previous[c] = answers
            rows[(r, c)] = out
    _plant_clarification_cases(rows)
    _drop_unanswered(rows)
    return rows


def _plant_clarification_cases(rows: dict[tuple[str, str], list[Row]]) -> None:
    """A few copy-paste slips of the kind NIEM's clarification loops caught, so the queue has them."""
    slips = {("2021", "SI"): ("SI-", "Illustrative: same provision as in Hungary."),
             ("2019", "BG"): ("BG-", "Illustrative: figure copied from the 2017 questionnaire."),
             ("2021", "LV"): ("LV-", "Illustrative: as reported for Lithuania in 2019.")}
    for key, (_, note) in slips.items():
        lst = rows[key]
        k = next(i for i, row in enumerate(lst) if row.answer not in (NO_DATA, NOT_APPLICABLE) and row.indicator_id.endswith("L01"))
        lst[k] = Row(lst[k].indicator_id, lst[k].answer, lst[k].source, note)


def _drop_unanswered(rows: dict[tuple[str, str], list[Row]]) -> None:
    """Two indicators left out of their files: they count as unanswered."""
    for key, ind_id in ((("2017", "PL"), "REC-D02"), (("2019", "GR"), "BB-S03")):
        rows[key] = [row for row in rows[key] if row.indicator_id != ind_id]
