"""Build one country's tables for every round: validate all its raw files, then score."""

from __future__ import annotations

from ..core.errors import Problem, raise_if
from ..inputs.codebook import Codebook
from ..inputs.evidence import read_evidence
from ..inputs.legal_framework import read_legal_framework
from ..inputs.seeddata import read_bip_statistics, read_findings
from ..quality.clarification import country_items
from .rules import ScoringRules, indicator_rows, score_round

SCORE_TABLES = ("step_scores", "dimension_scores", "area_scores", "overall_step_scores", "overall_scores")


def validate_country(evidence: dict[str, str], codebook: Codebook, bip_statistics: str | None = None,
                     findings: str | None = None, legal_framework: str | None = None) -> tuple[dict[str, list], list[dict], list[dict], list[dict]]:
    """(answers per round, BIP statistics rows, findings rows, legal-framework rows) of one country.

    Raises one InputError listing every problem in every file of the country, before any scoring.
    """
    problems: list[Problem] = []
    answers = {}
    for round_id, path in evidence.items():
        _, answers[round_id], file_problems = read_evidence(path, codebook, round_id, display=str(path))
        problems += file_problems
    stats, found = [], []
    if bip_statistics:
        stats, file_problems = read_bip_statistics(bip_statistics)
        problems += file_problems
    if findings:
        found, file_problems = read_findings(findings, [d["id"] for d in codebook.dimensions])
        problems += file_problems
    legal: list[dict] = []
    if legal_framework:
        legal, file_problems = read_legal_framework(legal_framework)
        problems += file_problems
    raise_if(problems)
    return answers, stats, found, legal


def build_country_tables(country: str, evidence: dict[str, str], codebook: Codebook, rules: ScoringRules,
                         bip_statistics: str | None = None, findings: str | None = None,
                         countries: dict[str, str] | None = None, legal_framework: str | None = None) -> dict[str, list[dict]]:
    """All tables of one country: rows keyed by table name, rounds in the order given (oldest
    first). ``countries`` (every configured code -> name) lets the clarification queue spot notes
    that mention another country."""
    answers, stats, found, legal = validate_country(evidence, codebook, bip_statistics, findings, legal_framework)
    tables: dict[str, list[dict]] = {"indicator_scores": [], **{t: [] for t in SCORE_TABLES},
                                     "bip_statistics": [{"country": country, **r} for r in stats],
                                     "findings": [{"country": country, **r} for r in found],
                                     "legal_framework": [{"country": country, **r} for r in legal]}
    for round_id, round_answers in answers.items():
        key = {"country": country, "round": round_id}
        rows = indicator_rows(codebook, round_id, round_answers)
        tables["indicator_scores"] += [{**key, **r} for r in rows]
        for name, score_rows in score_round(rows, codebook, rules).items():
            tables[name] += [{**key, **r} for r in score_rows]
    tables["clarification_items"] = country_items(country, answers, evidence, codebook, countries or {country: country})
    return tables
