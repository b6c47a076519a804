"""Table specs of the scoring stage (registered into niem.core.registry when imported).

Indicator points, the step, dimension, area and overall scores (niem/scoring/rules.py) and the
round-to-round change on common indicators (niem/scoring/change.py).
"""

from __future__ import annotations

from ..core.registry import _KEY, F, I, S, TableSpec, register, status_counts

_COUNTS = status_counts("Scored indicators asked under this score in this round")
_SCORE = [("score", F, "Score 0-100 under this project's scoring rules (config/README.md); null when missing"),
          ("coverage", F, "Share of applicable scored indicators with data (n_answered / (n_indicators - n_not_applicable))")]
_REASON = [("missing_reason", S, "Why the score is missing (null when it is not)")]


register(TableSpec("indicator_scores", "One row per country, round and indicator asked in that round: the validated answer and its points.", tuple(_KEY + [
    ("indicator_id", S, "Indicator id from config/codebook.yaml"),
    ("dimension", S, "Dimension id"),
    ("step", S, "Step id (legal, policy, implementation); null for statistical and descriptive indicators"),
    ("kind", S, "scored, statistical (unscored data indicator) or descriptive (unscored, reception)"),
    ("status", S, "answered, no_data, not_applicable or unanswered (absent from the evidence file)"),
    ("answer", S, "The answer as given in the evidence file"),
    ("value", F, "Numeric answer, for numeric indicators"),
    ("points", F, "Points 0-100 of a scored indicator's answer; null otherwise"),
    ("source", S, "Source given for the answer"),
    ("note", S, "Note given for the answer"),
])))
register(TableSpec("step_scores", "Score of each dimension x step (e.g. Housing / legal framework) per country and round.", tuple(_KEY + [
    ("dimension", S, "Dimension id"), ("step", S, "Step id")] + _SCORE + _COUNTS + _REASON)))
register(TableSpec("dimension_scores", "Score of each of the 12 scored dimensions per country and round.", tuple(_KEY + [
    ("area", S, "Area id"), ("dimension", S, "Dimension id")] + _SCORE + [
    ("n_steps_scored", I, "Number of step scores behind the dimension score")] + _COUNTS + _REASON)))
register(TableSpec("area_scores", "Score of each area (general, legal, socio-economic, socio-cultural) per country and round.", tuple(_KEY + [
    ("area", S, "Area id")] + _SCORE + [("n_dimensions_scored", I, "Number of dimension scores behind the area score")] + _COUNTS + _REASON)))
register(TableSpec("overall_step_scores", "Score of each step across all dimensions per country and round (e.g. Romania 2019: legal 58.9).", tuple(_KEY + [
    ("step", S, "Step id")] + _SCORE + [("n_dimensions_scored", I, "Number of dimensions with a score for this step")] + _COUNTS + _REASON)))
register(TableSpec("overall_scores", "Overall score per country and round.", tuple(_KEY + _SCORE + [
    ("n_dimensions_scored", I, "Number of dimension scores behind the overall score")] + _COUNTS + _REASON)))
register(TableSpec("change", "Change between two rounds per country, re-scored on the scored indicators common to both rounds.", tuple([
    _KEY[0],
    ("from_round", S, "Earlier round"), ("to_round", S, "Later round"),
    ("level", S, "overall, overall_step (one step across dimensions), dimension, or step (one dimension x step)"),
    ("dimension", S, "Dimension id (dimension and step levels)"), ("step", S, "Step id (overall_step and step levels)"),
    ("score_from", F, "Score in the earlier round on the common indicators"),
    ("score_to", F, "Score in the later round on the common indicators"),
    ("change", F, "score_to - score_from, in points"),
    ("change_class", S, "improved / declined (|change| >= analysis.stable_threshold) or stable"),
    ("n_common_indicators", I, "Scored indicators asked in both rounds"),
])))
