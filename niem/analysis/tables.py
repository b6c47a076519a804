"""Table specs of the analysis stage (registered into niem.core.registry when imported).

Data-availability audits (niem/analysis/audit.py), change drivers and change models
(niem/analysis/models.py), the robustness Monte Carlo (niem/analysis/robustness.py) and the check of the
published NIEM figures (niem/analysis/published.py). docs/analysis.md documents every table and the
methods behind it.
"""

from __future__ import annotations

from ..core.registry import ILLUSTRATIVE, REAL, B, F, I, S, TableSpec, frame_table, register, status_counts, write_table
from ..run.runner import log

_COUNTRY = ("country", S, "Country code (ISO 3166-1 alpha-2, optionally with a subdivision suffix)")
_ROUND = ("round", S, "Evaluation round: the year the data refer to")
_PAIR = (("from_round", S, "Earlier round"), ("to_round", S, "Later round"))
_DIM = ("dimension", S, "Dimension id; null where the row is not about one dimension")
_STEP = ("step", S, "Step id (legal, policy, implementation); null where the row is not about one step")
_KIND = ("kind", S, "Indicator kind: scored, statistical (unscored data indicator) or descriptive (unscored, reception)")
_LEVEL_CHANGE = ("level", S, "overall, overall_step (one step across dimensions), dimension, or step (one dimension x step)")
_INTERVAL = (
    ("std_error", F, "Standard error of the estimate (method column); null when it cannot be estimated"),
    ("ci_low", F, "Lower end of the confidence interval (level analysis.confidence_level)"),
    ("ci_high", F, "Upper end of the confidence interval (level analysis.confidence_level)"),
)
_P = ("p_value", F, "Two-sided p-value of the test that the estimate is 0 (method column); null when undefined")
_METHOD = ("method", S, "What was fitted or computed (docs/analysis.md gives the full specification)")

_STATUS_COUNTS = status_counts("Indicators asked in this round in this group")

register(TableSpec("published_figures_check", "Every entry of the register config/published_figures.yaml: figures printed in a source (category published), checks this project derives from printed statements (derived), and printed facts it cannot recompute (not_checkable), each next to the value this pipeline recomputes.", (
    ("figure_id", S, "Register id"),
    ("category", S, "published (a number or list printed in a source), derived (this project's threshold or reading of a printed statement), not_checkable (printed, not recomputable here)"),
    ("statement", S, "The statement, paraphrased (derived: the check as this project reads it)"),
    ("source", S, "Where it was printed"), ("source_url", S, "The source's web address; null when the source is a printed document only"),
    ("as_printed", S, "The source's words or number as printed; null where the register holds no quotation"),
    ("reason", S, "derived: the reading or threshold this project chose; not_checkable: why it cannot be recomputed; else null"),
    ("check_type", S, "How it is recomputed (niem/analysis/published.py); null for not_checkable"),
    ("published", S, "The value checked against (printed, or derived for category derived); null for not_checkable"),
    ("tolerance", F, "Allowed absolute difference for numbers"),
    ("recomputed", S, "Value recomputed from this pipeline's tables; null for not_checkable"),
    ("agrees", B, "Whether the recomputed value agrees; null when not checkable or when this run's countries/rounds do not cover the published scope"),
), provenance=ILLUSTRATIVE))
register(TableSpec(
    "availability_audit",
    "Data availability per country, round, dimension, step and indicator kind: how many indicators are answered, "
    "'no data', 'not applicable' or unanswered.",
    (_COUNTRY, _ROUND, ("dimension", S, "Dimension id"), _STEP, _KIND, *_STATUS_COUNTS,
     ("share_with_data", F, "n_answered / (n_indicators - n_not_applicable); null when no indicator applies")),
))
register(TableSpec(
    "indicator_availability",
    "Per round and indicator, in how many countries it was answered or 'no data' (which indicators lack data in most countries).",
    (_ROUND, ("indicator_id", S, "Indicator id from config/codebook.yaml"), ("dimension", S, "Dimension id"), _KIND,
     ("theme", S, "Theme of a statistical indicator (bip_statistics, public_spending, staff_resources, outcomes, procedures); null otherwise"),
     ("n_countries", I, "Countries in which the indicator was asked in this round"),
     ("n_with_data", I, "Countries with an answer (not 'no data', 'not applicable' or missing)"),
     ("n_no_data", I, "Countries that answered 'no data'"),
     ("share_no_data", F, "n_no_data / (n_countries - countries answering 'not applicable'); above 0.5 = lacks data in most countries")),
))
register(TableSpec(
    "availability_change",
    "Change in data availability between two rounds per country and indicator kind (all indicators asked in each round).",
    (_COUNTRY, ("kind", S, "Indicator kind (scored, statistical, descriptive) or 'all'"), *_PAIR,
     ("share_with_data_from", F, "Share of applicable indicators with an answer in the earlier round"),
     ("share_with_data_to", F, "Share of applicable indicators with an answer in the later round"),
     ("change", F, "share_with_data_to - share_with_data_from (positive = more data)")),
))
register(TableSpec(
    "bip_statistics_availability",
    "Availability of the BIP statistics (number of beneficiaries of international protection, their share among "
    "non-citizens and in the population) per country, measure and reference slot.",
    (_COUNTRY, ("measure", S, "Measure, as in bip_statistics.parquet"), ("slot", S, "Reference slot, as in bip_statistics.parquet"),
     ("availability", S, "present (a reported stock figure), no_data, flow (a flow reported instead of a stock), "
                         "upper_bound (only an upper bound), estimate (reported with an estimate qualifier); "
                         "any other status is passed through"),
     ("basis", S, "stock, flow or unknown, as in bip_statistics.parquet"),
     ("note", S, "Qualifier and note of the source row, joined with '; ' (null when both are empty)")),
    provenance=REAL,
))
register(TableSpec(
    "change_drivers",
    "Which indicators drove each step change: every scored indicator common to both rounds, with its points and its "
    "additive contribution to the step change (contributions of a cell sum to its change in the change table).",
    (_COUNTRY, *_PAIR, ("dimension", S, "Dimension id"), ("step", S, "Step id"),
     ("indicator_id", S, "Indicator id"),
     ("points_from", F, "Points in the earlier round; null when not answered"),
     ("points_to", F, "Points in the later round; null when not answered"),
     ("contribution", F, "points_to / n_to - points_from / n_from, where n is the number of indicators entering the step "
                         "mean in that round (a side without points counts 0, or 0 points under missing_data: zero); "
                         "null when the step score is missing in either round")),
))
register(TableSpec(
    "change_models",
    "Average change across countries per round pair, level, dimension and step, from regression models with "
    "cluster-robust standard errors.",
    (("model", S, "cells_cluster_country (stacked component changes on an intercept, clustered by country) "
                "or indicators_country_fe (indicator changes on an intercept and sum-to-zero country effects, "
                "clustered by indicator)"),
     *_PAIR, _LEVEL_CHANGE, _DIM, _STEP,
     ("term", S, "Model term: mean_change (the intercept = the average change across countries, in points)"),
     ("estimate", F, "Estimate of the term, in points"), *_INTERVAL, _P,
     ("n", I, "Observations in the regression"), ("n_clusters", I, "Clusters behind the standard error"), _METHOD),
))
register(TableSpec(
    "paired_tests",
    "Paired t-test across countries per round pair, level, dimension and step: is the mean change different from 0?",
    (*_PAIR, _LEVEL_CHANGE, _DIM, _STEP,
     ("mean_change", F, "Mean over countries of the change (change table), in points"), *_INTERVAL,
     ("t", F, "t statistic of the paired test (n - 1 degrees of freedom)"), _P,
     ("n", I, "Countries with a change")),
))
register(TableSpec(
    "convergence",
    "Sigma-convergence (did the spread between countries shrink?) and beta-convergence (did low scorers improve more?) "
    "per round pair, overall and per dimension.",
    (("kind", S, "sigma (estimate = SD of country scores in the later round - in the earlier) or beta "
                 "(estimate = slope of the change on the earlier score)"),
     *_PAIR, ("level", S, "overall, dimension, or dimensions_pooled (beta only: all dimensions with dimension intercepts)"),
     _DIM, ("estimate", F, "sigma: SD difference in points (negative = converging); beta: slope (negative = converging)"),
     *_INTERVAL, _P, ("n", I, "Observations (country scores, or country x dimension for dimensions_pooled)"),
     ("value_from", F, "sigma: SD of the country scores in the earlier round; beta: mean score in the earlier round"),
     ("value_to", F, "sigma: SD of the country scores in the later round; beta: mean score in the later round"), _METHOD),
))
register(TableSpec(
    "country_change_intervals",
    "Per country, round pair, overall and dimension: the change with a confidence interval from the indicator-level "
    "paired changes (for the country reports).",
    (_COUNTRY, *_PAIR, ("level", S, "overall or dimension"), _DIM,
     ("change", F, "Weighted mean of the paired indicator changes, weighted as in the score (equals the change table's "
                   "change when every common indicator is answered in both rounds), in points"),
     ("ci_low", F, "Lower end of the confidence interval"), ("ci_high", F, "Upper end of the confidence interval"),
     ("n_indicators", I, "Scored indicators answered in both rounds behind the change"), _METHOD),
))
register(TableSpec(
    "robustness_scores",
    "Robustness of scores and ranks to defensible method choices (Monte Carlo): per country, round, overall and "
    "dimension, the baseline score and rank and their 5th, 50th and 95th percentiles over the draws.",
    (_COUNTRY, _ROUND, ("level", S, "overall or dimension"), ("dimension", S, "Dimension id; null for the overall score"),
     ("score_baseline", F, "Score under the configured scoring rules"),
     ("score_median", F, "Median score over the draws"), ("score_p05", F, "5th percentile of the score over the draws"),
     ("score_p95", F, "95th percentile of the score over the draws"),
     ("rank_baseline", F, "Rank among the countries in this round and level under the configured rules (1 = highest; "
                          "tied scores share the average of their ranks, e.g. 11.5)"),
     ("rank_median", F, "Median rank over the draws (an observed rank)"),
     ("rank_p05", F, "5th percentile of the rank over the draws (best end; an observed rank)"),
     ("rank_p95", F, "95th percentile of the rank over the draws (worst end; an observed rank)"),
     ("n_draws", I, "Draws in which the score exists")),
))
register(TableSpec(
    "robustness_choices",
    "Which method choices move ranks most: mean absolute rank shift from the baseline ranks, over the draws that took "
    "each option of each choice (choice 'all' = every draw).",
    (("choice", S, "mean, step_weights, missing_data, drop_indicator, or all"),
     ("option", S, "The option taken in these draws (e.g. geometric, dirichlet, zero, one indicator)"),
     ("n_draws", I, "Draws that took this option"),
     ("mean_abs_rank_shift", F, "Mean over these draws, countries, rounds and levels (overall and 12 dimensions) of "
                                "|rank in the draw - baseline rank|"),
     ("max_abs_rank_shift", F, "Largest |rank in the draw - baseline rank| in these draws")),
))



def write_frames(frames: dict, output) -> None:
    """Write each DataFrame of ``frames`` (keyed by table name) to ``output[name]``, logging its size."""
    for name, frame in frames.items():
        write_table(name, frame_table(name, frame), output[name])
        log.info("%s: %d rows", name, len(frame))
