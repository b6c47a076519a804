"""Table specs of the report extracts (registered into niem.core.registry when imported).

Per-country extracts of the cross-country tables that a country report shows
(niem/reports/extracts.py computes them; the report_extracts checkpoint writes them). They reuse
the column definitions of the scoring and analysis tables, so those stages register first.
"""

from __future__ import annotations

from ..analysis import tables as _analysis_tables  # noqa: F401  (registers robustness_scores, country_change_intervals)
from ..core.registry import ILLUSTRATIVE, F, I, S, TableSpec, columns_of, register
from ..scoring import tables as _scoring_tables  # noqa: F401  (registers change)

register(TableSpec(
    "report_benchmark",
    "The cross-country reference a country report compares against: per round, overall and per dimension, the "
    "mean score of the configured countries and the highest score with the countries holding it. The same rows in "
    "every country's file: results/report_extracts/{country}/report_benchmark.parquet.",
    (*columns_of("robustness_scores", "round", "level", "dimension"),
     ("mean_score", F, "Mean score over the countries with a score (the 14-country average with the default config), "
                       "rounded to one decimal as printed"),
     ("best_score", F, "Highest score, rounded to one decimal as printed"),
     ("best_countries", S, "Country codes with the highest score, ';'-separated"),
     ("n_countries", I, "Countries with a score")),
    provenance=ILLUSTRATIVE,
))
register(TableSpec(
    "report_drivers",
    "One country's change drivers (change_drivers): per round pair, dimension, step and indicator, the points in "
    "both rounds and the contribution to the step change. One file per country: "
    "results/report_extracts/{country}/report_drivers.parquet.",
    columns_of("change_drivers", "country", "from_round", "to_round", "dimension", "step", "indicator_id",
               "points_from", "points_to", "contribution"),
    provenance=ILLUSTRATIVE,
))
register(TableSpec(
    "report_position",
    "One country's position among the configured countries per round: its row of robustness_scores (overall and "
    "each dimension) and the number of countries ranked. One file per country: "
    "results/report_extracts/{country}/report_position.parquet (read by that country's report).",
    (*columns_of("robustness_scores", "country", "round", "level", "dimension", "score_baseline", "score_p05",
                  "score_p95", "rank_baseline", "rank_p05", "rank_p95"),
     ("n_ranked", I, "Countries with a score at this round and level (the rank is out of this many)")),
    provenance=ILLUSTRATIVE,
))
register(TableSpec(
    "report_change",
    "One country's change between rounds, overall and per dimension: the change of the score re-computed on the "
    "indicators common to both rounds (change table) next to the weighted mean paired indicator change and its "
    "model interval (country_change_intervals). One file per country: "
    "results/report_extracts/{country}/report_change.parquet.",
    (*columns_of("change", "country", "from_round", "to_round", "level", "dimension", "score_from", "score_to",
                  "change", "change_class"),
     ("paired_change", F, "Weighted mean change of the indicators answered in both rounds (country_change_intervals)"),
     *columns_of("country_change_intervals", "ci_low", "ci_high"),
     ("n_paired", I, "Indicators answered in both rounds")),
    provenance=ILLUSTRATIVE,
))

EXTRACTS = ("report_benchmark", "report_drivers", "report_position", "report_change")
# Extracts that are the same for every country (not split by country).
SHARED_EXTRACTS = ("report_benchmark",)
