"""Table specs of the quality stage (registered into niem.core.registry when imported)."""

from ..core.registry import _KEY, I, S, TableSpec, register
from .clarification import ISSUE_CODES

_CODES = ", ".join(ISSUE_CODES)

register(TableSpec(
    "clarification_items",
    "Clarification queue: answers a national researcher should confirm or correct (soft issues; the run went on). "
    "One file per round, results/clarification/{round}.parquet (and .csv), combined from the per-country files "
    "results/countries/{country}/clarification_items.parquet. Issue codes are explained in docs/validation.md.",
    tuple(_KEY + [
        ("indicator_id", S, "Indicator id from config/codebook.yaml"),
        ("dimension", S, "Dimension id of the indicator"),
        ("kind", S, "scored, statistical or descriptive"),
        ("question", S, "The indicator's question (codebook)"),
        ("issue_code", S, f"What to check: one of {_CODES}"),
        ("issue", S, "The issue in plain language, with what the researcher is asked to do"),
        ("answer", S, "The answer as given in the evidence file"),
        ("previous_round", S, "The previous configured round, when the indicator has an answer there; null otherwise"),
        ("previous_answer", S, "The answer given in the previous round; null when there is none"),
        ("source", S, "Source given for the answer (empty when none)"),
        ("note", S, "Note given for the answer (empty when none)"),
        ("file", S, "Evidence file to edit"),
        ("line", I, "Line of the answer in that file (as an editor numbers it)"),
        ("status", S, "open: the evidence file still triggers the issue; resolved: a researcher confirmed this answer "
                      "(raw/clarifications/{round}/{country}.csv, response 'confirm as is'); reopened: confirmed, but the "
                      "answer has changed since (country files: always open, the register is applied to the queue)"),
    ])))

register(TableSpec(
    "clarification_summary",
    "Number of clarification items per country, round and issue code (zero rows included).",
    tuple(_KEY + [
        ("issue_code", S, f"One of {_CODES}"),
        ("n_items", I, "Number of open items with this issue code (reopened ones included)"),
        ("n_resolved", I, "Number of items with this issue code confirmed in the resolution register"),
    ])))
