"""This project's scoring rules: indicator points -> step, dimension, area and overall scores.

NIEM's own answer-to-points mapping and aggregation formula are not public; the rules here are
this project's, set in config/config.yaml (``scoring``) and documented in config/README.md:

* indicator points come from the codebook (option points, or a linear rule for numbers);
* a step score (one dimension x one step) is the arithmetic mean of its scored indicators' points;
  "no data" and unanswered indicators are left out (``missing_data: exclude``) or count as 0
  (``zero``); "not applicable" indicators are always left out; the score is missing when fewer
  than ``min_indicator_coverage`` of the applicable indicators have data;
* a dimension score is the weighted mean (``step_weights``, ``mean``) of its available step
  scores, missing when fewer than ``min_steps`` are available;
* area, overall and overall-step scores are means over dimensions (or, for the overall score with
  ``overall_from: areas``, over areas), missing when less than ``min_dimension_share`` of their
  dimensions have scores.

Every score carries the coverage behind it: the share of its applicable scored indicators with data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..inputs.codebook import Codebook
from ..inputs.evidence import Answer

COUNT_KEYS = ("n_indicators", "n_answered", "n_no_data", "n_not_applicable", "n_unanswered")
# Geometric means count scores below this floor as the floor (as composite indices such as the HDI
# do), so one step scored 0 lowers a dimension sharply instead of wiping out the other steps.
GEOMETRIC_FLOOR = 1.0


@dataclass(frozen=True)
class ScoringRules:
    missing_data: str = "exclude"
    min_indicator_coverage: float = 0.5
    step_weights: tuple[tuple[str, float], ...] = (("legal", 1.0), ("policy", 1.0), ("implementation", 1.0))
    min_steps: int = 2
    min_dimension_share: float = 0.75
    overall_from: str = "dimensions"
    mean: str = "arithmetic"

    @classmethod
    def from_config(cls, scoring: dict) -> "ScoringRules":
        values = dict(scoring)
        values["step_weights"] = tuple(sorted(values["step_weights"].items()))
        return cls(**values)

    def weight(self, step: str) -> float:
        return dict(self.step_weights)[step]


def indicator_rows(codebook: Codebook, round_id: str, answers: list[Answer]) -> list[dict]:
    """One row per indicator asked in the round (codebook order), answered or not."""
    given = {a.indicator_id: a for a in answers}
    rows = []
    for ind in codebook.in_round(round_id):
        a = given.get(ind.id)
        status = a.status if a else "unanswered"
        points = ind.points(a.answer, a.value) if a and status == "answered" else None
        rows.append({
            "indicator_id": ind.id, "dimension": ind.dimension, "step": ind.step, "kind": ind.kind,
            "status": status, "answer": a.answer if a else None, "value": a.value if a else None,
            "points": points, "source": a.source if a else None, "note": a.note if a else None,
        })
    return rows


def combine(values: list[float], weights: list[float] | None = None, kind: str = "arithmetic") -> float:
    """Weighted arithmetic or geometric mean (values below GEOMETRIC_FLOOR count as the floor)."""
    weights = weights or [1.0] * len(values)
    total = sum(weights)
    if kind == "geometric":
        return math.exp(sum(w * math.log(max(v, GEOMETRIC_FLOOR)) for v, w in zip(values, weights)) / total)
    return sum(v * w for v, w in zip(values, weights)) / total


def _counts(rows: list[dict]) -> dict:
    c = dict.fromkeys(COUNT_KEYS, 0)
    for r in rows:
        c["n_indicators"] += 1
        c["n_" + r["status"]] += 1
    return c


def _add_counts(parts: list[dict]) -> dict:
    return {k: sum(p[k] for p in parts) for k in COUNT_KEYS}


def coverage(counts: dict) -> float | None:
    applicable = counts["n_indicators"] - counts["n_not_applicable"]
    return counts["n_answered"] / applicable if applicable else None


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def step_scores(rows: list[dict], codebook: Codebook, rules: ScoringRules) -> list[dict]:
    out = []
    for dim in codebook.scored_dimensions:
        for step in codebook.step_ids:
            cell = [r for r in rows if r["kind"] == "scored" and r["dimension"] == dim and r["step"] == step]
            counts = _counts(cell)
            cov = coverage(counts)
            points = [r["points"] for r in cell if r["status"] == "answered"]
            if rules.missing_data == "zero":
                points += [0.0] * (counts["n_no_data"] + counts["n_unanswered"])
            if cov is None:
                score, reason = None, "no applicable indicators"
            elif cov < rules.min_indicator_coverage:
                score, reason = None, f"coverage {cov:.2f} below minimum {rules.min_indicator_coverage:g}"
            else:
                score, reason = combine(points), None
            out.append({"dimension": dim, "step": step, "score": _rounded(score), "coverage": _rounded(cov), **counts, "missing_reason": reason})
    return out


def dimension_scores(steps: list[dict], codebook: Codebook, rules: ScoringRules) -> list[dict]:
    out = []
    for dim in codebook.scored_dimensions:
        cells = [s for s in steps if s["dimension"] == dim]
        avail = [s for s in cells if s["score"] is not None]
        counts = _add_counts(cells)
        if len(avail) >= rules.min_steps:
            score = combine([s["score"] for s in avail], [rules.weight(s["step"]) for s in avail], rules.mean)
            reason = None
        else:
            score, reason = None, f"{len(avail)} step score(s), minimum {rules.min_steps}"
        out.append({"area": codebook.dimension_area[dim], "dimension": dim, "score": _rounded(score),
                    "coverage": _rounded(coverage(counts)), "n_steps_scored": len(avail), **counts, "missing_reason": reason})
    return out


def _mean_of(parts: list[dict], rules: ScoringRules, what: str) -> tuple[float | None, str | None]:
    avail = [p["score"] for p in parts if p["score"] is not None]
    if parts and len(avail) / len(parts) >= rules.min_dimension_share:
        return combine(avail, kind=rules.mean), None
    return None, f"{len(avail)} of {len(parts)} {what} scored, minimum share {rules.min_dimension_share:g}"


def area_scores(dims: list[dict], codebook: Codebook, rules: ScoringRules) -> list[dict]:
    out = []
    for area in [a["id"] for a in codebook.areas]:
        parts = [d for d in dims if d["area"] == area]
        if not parts:
            continue
        score, reason = _mean_of(parts, rules, "dimensions")
        out.append({"area": area, "score": _rounded(score), "coverage": _rounded(coverage(_add_counts(parts))),
                    "n_dimensions_scored": sum(d["score"] is not None for d in parts), **_add_counts(parts), "missing_reason": reason})
    return out


def overall_step_scores(steps: list[dict], codebook: Codebook, rules: ScoringRules) -> list[dict]:
    out = []
    for step in codebook.step_ids:
        parts = [s for s in steps if s["step"] == step]
        score, reason = _mean_of(parts, rules, "dimensions")
        out.append({"step": step, "score": _rounded(score), "coverage": _rounded(coverage(_add_counts(parts))),
                    "n_dimensions_scored": sum(p["score"] is not None for p in parts), **_add_counts(parts), "missing_reason": reason})
    return out


def overall_score(dims: list[dict], areas: list[dict], rules: ScoringRules) -> dict:
    if rules.overall_from == "areas":
        score, reason = _mean_of(areas, rules, "areas")
    else:
        score, reason = _mean_of(dims, rules, "dimensions")
    return {"score": _rounded(score), "coverage": _rounded(coverage(_add_counts(dims))),
            "n_dimensions_scored": sum(d["score"] is not None for d in dims), **_add_counts(dims), "missing_reason": reason}


def score_round(rows: list[dict], codebook: Codebook, rules: ScoringRules) -> dict[str, list[dict]]:
    """All score tables of one country and round, from its indicator rows."""
    steps = step_scores(rows, codebook, rules)
    dims = dimension_scores(steps, codebook, rules)
    areas = area_scores(dims, codebook, rules)
    return {
        "step_scores": steps,
        "dimension_scores": dims,
        "area_scores": areas,
        "overall_step_scores": overall_step_scores(steps, codebook, rules),
        "overall_scores": [overall_score(dims, areas, rules)],
    }
