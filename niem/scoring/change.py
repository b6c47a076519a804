"""Round-to-round change on the indicators common to both rounds.

Both rounds are re-scored on the scored indicators asked in both, under the same scoring rules,
so a revised or dropped indicator cannot masquerade as a policy change. A change is 'improved'
or 'declined' when it is at least ``threshold`` points, else 'stable'.
"""

from __future__ import annotations

from itertools import combinations

from ..inputs.codebook import Codebook
from .rules import ScoringRules, score_round

LEVELS = ("overall", "overall_step", "dimension", "step")


def classify(change: float | None, threshold: float) -> str | None:
    if change is None:
        return None
    if change >= threshold:
        return "improved"
    if change <= -threshold:
        return "declined"
    return "stable"


def round_pairs(rounds: list[str]) -> list[tuple[str, str]]:
    """Every earlier -> later pair, consecutive pairs first (2017-2019, 2019-2021, 2017-2021)."""
    pairs = list(combinations(rounds, 2))
    return sorted(pairs, key=lambda p: (rounds.index(p[1]) - rounds.index(p[0]), rounds.index(p[0])))


def _flatten(scores: dict[str, list[dict]]) -> dict[tuple, dict]:
    out = {}
    for r in scores["overall_scores"]:
        out[("overall", None, None)] = r
    for r in scores["overall_step_scores"]:
        out[("overall_step", None, r["step"])] = r
    for r in scores["dimension_scores"]:
        out[("dimension", r["dimension"], None)] = r
    for r in scores["step_scores"]:
        out[("step", r["dimension"], r["step"])] = r
    return out


def country_change(rows_by_round: dict[str, list[dict]], pair: tuple[str, str], codebook: Codebook,
                   rules: ScoringRules, threshold: float) -> list[dict]:
    """Change rows of one country for one round pair, from its indicator rows per round."""
    r1, r2 = pair
    common = {r["indicator_id"] for r in rows_by_round[r1]} & {r["indicator_id"] for r in rows_by_round[r2]}
    scored = [score_round([r for r in rows_by_round[rd] if r["indicator_id"] in common], codebook, rules) for rd in pair]
    before, after = (_flatten(s) for s in scored)
    n_common = sum(1 for i in common if codebook.by_id[i].kind == "scored")
    out = []
    for key in before:
        a, b = before[key]["score"], after[key]["score"]
        delta = None if a is None or b is None else round(b - a, 6)
        out.append({"from_round": r1, "to_round": r2, "level": key[0], "dimension": key[1], "step": key[2],
                    "score_from": a, "score_to": b, "change": delta, "change_class": classify(delta, threshold),
                    "n_common_indicators": n_common})
    return out


def change_rows(indicator_rows: list[dict], codebook: Codebook, rules: ScoringRules, rounds: list[str], threshold: float) -> list[dict]:
    """Change rows for every country and round pair, from rows of the indicator_scores table."""
    by_country: dict[str, dict[str, list[dict]]] = {}
    for r in indicator_rows:
        by_country.setdefault(r["country"], {}).setdefault(r["round"], []).append(r)
    out = []
    for country in sorted(by_country):
        present = [r for r in rounds if r in by_country[country]]
        for pair in round_pairs(present):
            out += [{"country": country, **row} for row in country_change(by_country[country], pair, codebook, rules, threshold)]
    return out
