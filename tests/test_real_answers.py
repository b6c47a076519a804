"""Illustrative answers never contradict the real data (issue 16).

For every country, round and statistical indicator that the NIEM Project Summary's BIP-statistics
table or a data-availability finding speaks about (niem/inputs/seeddata.py ``real_answers``), the
committed evidence in raw/evidence/ must carry that answer (or leave the indicator out where the
table's column is of another date). Every BIP-statistics measure and every country's data-availability
finding is either mapped or named with the reason it cannot be.
"""

import csv
import io
from pathlib import Path

import pytest

from niem.inputs.codebook import NO_DATA, load_codebook
from niem.inputs.config import load_config
from niem.inputs.illustrative import COUNTRIES, ROUNDS
from niem.inputs.seeddata import (FINDING_RULES, FINDINGS_NOT_MAPPED, STOCK_INDICATOR, UNMAPPED_MEASURES,
                                  bip_statistics_answers, load_real_answers, read_bip_statistics, read_findings)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def codebook():
    config = load_config(ROOT / "config" / "config.yaml")
    return load_codebook(ROOT / config["codebook"])


@pytest.fixture(scope="module")
def fixed(codebook):
    return load_real_answers(ROOT / "raw", codebook, COUNTRIES, ROUNDS)


def read_evidence(round_id: str, country: str) -> dict[str, dict]:
    text = (ROOT / "raw" / "evidence" / round_id / f"{country}.csv").read_text(encoding="utf-8")
    body = "".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith("#"))
    return {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(body))}


def disagreements(evidence: dict[tuple[str, str], dict[str, dict]], fixed: dict) -> list[str]:
    """Every (country, round, indicator) where the evidence does not carry the real answer."""
    out = []
    for (c, r, ind), fa in sorted(fixed.items()):
        row = evidence[(r, c)].get(ind)
        if fa.answer is None:
            if row is not None:
                out.append(f"{c} {r} {ind}: answered '{row['answer']}' though the Summary dates its figure otherwise")
        elif row is None or row["answer"] != fa.answer:
            out.append(f"{c} {r} {ind}: evidence '{row['answer'] if row else '(absent)'}', real data '{fa.answer}'")
        elif not row["note"].startswith("REAL:"):
            out.append(f"{c} {r} {ind}: real answer not labelled REAL in its note")
    return out


def test_evidence_agrees_with_bip_statistics_and_findings(fixed):
    evidence = {(r, c): read_evidence(r, c) for r in ROUNDS for c in COUNTRIES}
    assert not disagreements(evidence, fixed)


def test_every_country_and_round_has_its_stock_indicator_decided(fixed):
    """MS-S04 (BIPs on 1 January) is decided by real data for all 14 countries and 3 rounds."""
    undecided = [f"{c} {r}" for c in COUNTRIES for r in ROUNDS if (c, r, STOCK_INDICATOR) not in fixed]
    assert not undecided, f"no mapping could be made for {STOCK_INDICATOR} in: {', '.join(undecided)}"


def test_the_known_contradictions_are_gone(fixed):
    """The issue's cases, with the expected values read from raw/bip_statistics (not typed in)."""
    for c in ("SE", "FR", "NL", "IT"):
        rows, _ = read_bip_statistics(ROOT / "raw" / "bip_statistics" / f"{c}.csv")
        cell = next(x for x in rows if x["measure"] == "number_of_bips" and x["slot"] == "2021")
        assert read_evidence("2021", c)[STOCK_INDICATOR]["answer"] == str(int(cell["value"]))
    for c in ("BG", "LT"):
        assert all(read_evidence(r, c)[STOCK_INDICATOR]["answer"] == NO_DATA for r in ROUNDS)
    cz = read_evidence("2021", "CZ")
    assert all(row["answer"] == NO_DATA for ind, row in cz.items() if ind.startswith("EDU-S"))


def test_person_counts_stay_below_the_printed_stock(codebook, fixed):
    persons = {i.id for i in codebook.indicators if i.kind == "statistical" and i.unit == "persons"} - {STOCK_INDICATOR}
    over = []
    for (c, r, ind), fa in fixed.items():
        if ind != STOCK_INDICATOR or fa.answer in (None, NO_DATA):
            continue
        for pid, row in read_evidence(r, c).items():
            if pid in persons and not row["note"].startswith("REAL:") and row["answer"] != NO_DATA and float(row["answer"]) > float(fa.answer):
                over.append(f"{c} {r} {pid} {row['answer']} > {fa.answer}")
    assert not over


def test_every_bip_measure_is_mapped_or_named():
    unnamed = []
    for c in COUNTRIES:
        rows, problems = read_bip_statistics(ROOT / "raw" / "bip_statistics" / f"{c}.csv")
        assert not problems
        _, unmapped = bip_statistics_answers(c, rows, ROUNDS)
        unnamed += [f"{c}: {m}" for m in unmapped if m not in UNMAPPED_MEASURES]
    assert not unnamed, f"BIP-statistics measures mapped to no indicator and not named in UNMAPPED_MEASURES: {unnamed}"


def test_every_data_availability_finding_is_mapped_or_named(codebook):
    dims = [d["id"] for d in codebook.dimensions]
    ruled = {r.country for r in FINDING_RULES}
    unnamed = []
    for c in COUNTRIES:
        rows, _ = read_findings(ROOT / "raw" / "findings" / f"{c}.csv", dims)
        if any(r["section"] == "data_availability" for r in rows) and c not in ruled and c not in FINDINGS_NOT_MAPPED:
            unnamed.append(c)
    assert not unnamed, f"data-availability findings neither mapped nor named in FINDINGS_NOT_MAPPED: {unnamed}"


def test_the_check_catches_synthetic_answers(codebook, fixed):
    """Put the defect back: evidence generated without the real answers disagrees, naming the cells."""
    from niem.inputs.illustrative import generate

    rows = generate(codebook, 2016)
    evidence = {key: {row.indicator_id: {"answer": row.answer, "note": row.note} for row in lst} for key, lst in rows.items()}
    found = disagreements(evidence, fixed)
    assert any(line.startswith(f"SE 2021 {STOCK_INDICATOR}:") for line in found)
    assert any(line.startswith("CZ 2021 EDU-S") for line in found)


def test_a_stale_finding_rule_is_an_error(codebook):
    from niem.inputs.seeddata import findings_answers

    with pytest.raises(ValueError, match="CZ"):
        findings_answers("CZ", [{"section": "data_availability", "text": "Data are fine."}], codebook.indicators, ROUNDS)
