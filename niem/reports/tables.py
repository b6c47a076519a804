"""Table specs of the report extracts (registered into niem.core.registry when imported).

Per-country extracts of the cross-country tables that a country report shows
(niem/reports/extracts.py computes them; the report_extracts checkpoint writes them). They reuse
the column definitions of the scoring and analysis tables, so those stages register first.
"""

from __future__ import annotations

from ..analysis import tables as _analysis_tables  # noqa: F401  (registers robustness_scores, country_change_intervals)
from ..core.registry import ILLUSTRATIVE, F, I, TableSpec, columns_of, register
from ..scoring import tables as _scoring_tables  # noqa: F401  (registers change)

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

EXTRACTS = ("report_position", "report_change")
