"""Validation of the real per-country data transcribed from the NIEM Project Summary 2016-2022:
BIP statistics (raw/bip_statistics/{country}.csv) and national findings (raw/findings/{country}.csv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.csvio import Row, parse_number, read_csv
from ..core.errors import Problem

BIP_COLUMNS = ["measure", "slot", "reference_as_printed", "value", "unit", "value_as_printed", "status",
               "basis", "qualifier", "source", "note"]
MEASURES = ("number_of_bips", "number_of_refugees", "number_of_bsps", "share_among_non_citizens",
            "share_of_population", "total_non_citizens", "total_population", "bips_without_citizenship",
            "humanitarian_permits")
UNITS = ("persons", "percent")
STATUSES = ("reported", "no_data", "upper_bound")
BASES = ("stock", "flow", "unknown")

FINDINGS_COLUMNS = ["section", "item", "tags_as_printed", "dimensions", "text"]
SECTIONS = ("conclusion", "recommendation", "data_availability", "data_recommendation")


def _choice(value: str, allowed: tuple, field: str, file: str, line: int) -> Problem | None:
    if value not in allowed:
        return Problem(file, line, field, f"'{value}' is not allowed; expected one of: {', '.join(allowed)}")
    return None


def validate_bip_statistics(rows: tuple[Row, ...], file: str) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    out: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        v = {k: (x or "").strip() for k, x in row.values.items()}
        here = [p for p in (
            _choice(v["measure"], MEASURES, "measure", file, row.line),
            _choice(v["unit"], UNITS, "unit", file, row.line),
            _choice(v["status"], STATUSES, "status", file, row.line),
            _choice(v["basis"], BASES, "basis", file, row.line),
        ) if p]
        if not re.fullmatch(r"[0-9]{4}", v["slot"]):
            here.append(Problem(file, row.line, "slot", f"'{v['slot']}' is not a year; expected the reference column as a 4-digit year"))
        if not v["value_as_printed"]:
            here.append(Problem(file, row.line, "value_as_printed", "empty; copy the cell as printed (e.g. 'no data')"))
        value = parse_number(v["value"]) if v["value"] else None
        if v["value"] and value is None:
            here.append(Problem(file, row.line, "value", f"'{v['value']}' is not a number; use '.' as decimal separator and no thousands separators"))
        elif v["status"] in ("reported", "upper_bound") and value is None:
            here.append(Problem(file, row.line, "value", f"status '{v['status']}' needs a number"))
        elif v["status"] == "no_data" and value is not None:
            here.append(Problem(file, row.line, "value", "status 'no_data' must have an empty value"))
        elif value is not None and (value < 0 or (v["unit"] == "percent" and value > 100)):
            here.append(Problem(file, row.line, "value", f"{v['value']} is out of range for unit '{v['unit']}'"))
        key = (v["measure"], v["slot"])
        if key in seen:
            here.append(Problem(file, row.line, "measure", f"duplicate row for {key[0]} in slot {key[1]} (first at line {seen[key]})"))
        seen.setdefault(key, row.line)
        problems += here
        if not here:
            out.append({**{c: v[c] or None for c in BIP_COLUMNS}, "value": value})
    return out, problems


def validate_findings(rows: tuple[Row, ...], dimension_ids: list[str], file: str) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    out: list[dict] = []
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        v = {k: (x or "").strip() for k, x in row.values.items()}
        here = [p for p in (_choice(v["section"], SECTIONS, "section", file, row.line),) if p]
        # ASCII digits only ('²'.isdigit() is true but int() refuses it), and a size that fits the
        # item column (int64): a findings list has at most a few hundred items per section
        item = int(v["item"]) if re.fullmatch(r"[0-9]{1,6}", v["item"]) and int(v["item"]) > 0 else None
        if item is None:
            here.append(Problem(file, row.line, "item", f"'{v['item'][:40]}' is not a whole number from 1 to 999999 (digits 0-9 only)"))
        dims = [d for d in v["dimensions"].split(";") if d] if v["dimensions"] else []
        unknown = [d for d in dims if d not in dimension_ids]
        if unknown:
            here.append(Problem(file, row.line, "dimensions", f"unknown dimension id(s) {', '.join(unknown)}; expected ids from the codebook: {', '.join(dimension_ids)}"))
        if not v["text"]:
            here.append(Problem(file, row.line, "text", "empty text"))
        if item is not None:
            key = (v["section"], item)
            if key in seen:
                here.append(Problem(file, row.line, "item", f"duplicate item {item} in section {v['section']} (first at line {seen[key]})"))
            seen.setdefault(key, row.line)
        problems += here
        if not here:
            out.append({"section": v["section"], "item": item, "tags_as_printed": v["tags_as_printed"] or None,
                        "dimensions": ";".join(dims) or None, "text": v["text"]})
    return out, problems


def read_bip_statistics(path: str | Path) -> tuple[list[dict], list[Problem]]:
    content, problems = read_csv(path, BIP_COLUMNS, str(path))
    if problems:
        return [], problems
    return validate_bip_statistics(content.rows, str(path))


def read_findings(path: str | Path, dimension_ids: list[str]) -> tuple[list[dict], list[Problem]]:
    content, problems = read_csv(path, FINDINGS_COLUMNS, str(path))
    if problems:
        return [], problems
    return validate_findings(content.rows, dimension_ids, str(path))


# --- real answers to statistical indicators ------------------------------------------------------
# Where the real data of the NIEM Project Summary say something about a statistical indicator of the
# codebook, the illustrative answers must not contradict it. The functions below turn the real data
# into fixed answers (country, round, indicator) -> FixedAnswer; the illustrative generator takes them
# as given and tests/test_real_answers.py checks the committed evidence against them.

@dataclass(frozen=True)
class FixedAnswer:
    """A statistical answer fixed by real data. ``answer`` None = leave the indicator unanswered
    (the Summary's figure refers to another date or basis, so it neither gives nor denies a value)."""
    answer: str | None
    source: str
    note: str


STOCK_INDICATOR = "MS-S04"   # BIPs living in the country on 1 January of the round's year
FLOW_INDICATOR = "MS-S03"    # persons granted protection in the reference year (the year before the round)


def _year_before(round_id: str) -> str:
    return str(int(round_id) - 1)


def _cell_source(country: str, row: dict) -> str:
    src = f"; source as printed: {row['source']}" if row.get("source") else ""
    return f"REAL: NIEM Project Summary 2016-2022, {country} BIP-statistics table{src}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def bip_statistics_answers(country: str, rows: list[dict], rounds: list[str]) -> tuple[dict, list[str]]:
    """Fixed answers from one country's BIP-statistics table, and the cells that map to no indicator.

    MS-S04 (stock on 1 January of the round's year) takes ``number_of_bips`` of the round's column when
    the column is printed as that date and the figure is not a flow; a printed "no data" gives
    'no data'; a column of another date, or a flow, leaves MS-S04 unanswered. MS-S03 (granted in the
    reference year) takes a flow printed for the year before the round: Spain's recognitions
    "during {year}", Greece's refugees + BSPs granted in {year} (the sum of the two printed cells).
    """
    fixed: dict[tuple[str, str, str], FixedAnswer] = {}
    by_key = {(r["measure"], r["slot"]): r for r in rows}
    for r in rounds:
        row = by_key.get(("number_of_bips", r))
        if row is not None:
            cell = f"cell '{row['value_as_printed']}' (column '{row['reference_as_printed']}')"
            same_date = row["reference_as_printed"] == f"1st of January {r}" and row["basis"] != "flow"
            if same_date and row["status"] == "no_data":
                fixed[(country, r, STOCK_INDICATOR)] = FixedAnswer("no data", "", f"REAL: the Summary prints {cell}.")
            elif same_date and row["status"] == "reported":
                fixed[(country, r, STOCK_INDICATOR)] = FixedAnswer(
                    _number(row["value"]), _cell_source(country, row), f"REAL: number of BIPs as printed, {cell}.")
            else:
                fixed[(country, r, STOCK_INDICATOR)] = FixedAnswer(
                    None, "", f"Unanswered: the Summary's {cell} is not a stock on 1 January {r}.")
            if row["basis"] == "flow" and row["qualifier"] == f"during {_year_before(r)}" and row["status"] == "reported":
                fixed[(country, r, FLOW_INDICATOR)] = FixedAnswer(
                    _number(row["value"]), _cell_source(country, row), f"REAL: persons granted protection {row['qualifier']}, {cell}.")
        parts = [by_key.get((m, r)) for m in ("number_of_refugees", "number_of_bsps")]
        if all(p is not None and p["basis"] == "flow" and p["status"] == "reported"
               and p["reference_as_printed"] == _year_before(r) for p in parts) and ("number_of_bips", r) not in by_key:
            total = sum(p["value"] for p in parts)
            fixed[(country, r, FLOW_INDICATOR)] = FixedAnswer(
                _number(total), _cell_source(country, parts[0]),
                f"REAL: refugees '{parts[0]['value_as_printed']}' + BSPs '{parts[1]['value_as_printed']}' granted in "
                f"{_year_before(r)} (sum of the two printed cells).")
    used = {"number_of_bips"} | ({"number_of_refugees", "number_of_bsps"} if any(k[2] == FLOW_INDICATOR for k in fixed) else set())
    unmapped = sorted({r["measure"] for r in rows} - used)
    return fixed, unmapped


# Measures of the BIP-statistics tables that no statistical indicator of the codebook asks for.
UNMAPPED_MEASURES = {
    "number_of_refugees": "part of a total; mapped only where the Summary prints no total (Greece, as a flow)",
    "number_of_bsps": "part of a total; mapped only where the Summary prints no total (Greece, as a flow)",
    "share_among_non_citizens": "no indicator asks for BIPs as a share of non-citizens",
    "share_of_population": "no indicator asks for BIPs as a share of the population",
    "total_non_citizens": "a denominator, not a BIP figure",
    "total_population": "a denominator, not a BIP figure",
    "bips_without_citizenship": "no indicator asks for BIPs without citizenship",
    "humanitarian_permits": "humanitarian permits are not international protection",
}


@dataclass(frozen=True)
class FindingRule:
    """A data-availability finding that says no data exist for some statistical indicators."""
    country: str
    quote: str            # words of raw/findings/{country}.csv, section data_availability, as transcribed
    dimensions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()


FINDING_RULES = (
    FindingRule("CZ", "In several areas (education, entrepreneurship, building bridges), relevant data are virtually nonexistent",
                dimensions=("education", "building_bridges")),
    FindingRule("GR", "There is no available data on the results/effectiveness of integration policies", themes=("outcomes",)),
    FindingRule("GR", "limited only to the number of decisions on granted international protection but not on the population "
                      "residing in Greece as such", indicators=(STOCK_INDICATOR,)),
    FindingRule("NL", "it does not differentiate between the residence permits that foreigners have residing in the Netherlands",
                indicators=("RES-S01",)),
    FindingRule("LT", "There is a lack of information on the BIPs educational qualifications, employment and family status",
                indicators=("EMP-S01",)),
)

# Data-availability findings that no rule above turns into answers, and why (tests name them).
FINDINGS_NOT_MAPPED = {
    "LV": "'no data are available on the number of BIPs actually living in the country' conflicts with the numbers the "
          "Summary's own table prints for Latvia (308, 647, 621, 673); the printed cell is kept (docs/sources.md)",
    "NL": "'impossible to assess how many refugees ... live in the Netherlands in total' conflicts with the table's "
          "printed numbers (101744, 101837, 78911); the printed cell is kept (docs/sources.md)",
    "RO": "'data on vulnerable persons is missing entirely': no statistical indicator asks about vulnerable persons",
    "BG": "'difficult to obtain or non-existent' names no indicator or area",
    "FR": "'specific data on refugees are not available or scarce' names no indicator or area",
    "ES": "'crucial data gaps ... regarding all the core dimensions' names no indicator",
    "HU": "'particularly little data' on five dimensions is a degree, not an absence; the illustrative design gives no "
          "data there in 2021 (published check e2-HU-gap-dimensions)",
    "IT": "describes how stocks are estimated from flows; the stock printed in the table is used, with that note",
    "PL": "'data are often too general' names no indicator",
    "SE": "'not always available in terms of stock': the table prints stocks for every round",
    "SI": "'some data was easily available (number of asylum seekers and BIPs ...)' agrees with the printed numbers",
}


def findings_answers(country: str, findings: list[dict], indicators: list, rounds: list[str]) -> dict:
    """Fixed 'no data' answers from a country's data-availability findings (every round: the findings
    describe the data situation met over the whole project). ``indicators``: codebook Indicators.
    A rule whose quote is not in the country's findings raises ValueError (the rule is stale)."""
    text = " ".join(f["text"] for f in findings if f["section"] == "data_availability")
    fixed: dict[tuple[str, str, str], FixedAnswer] = {}
    for rule in FINDING_RULES:
        if rule.country != country:
            continue
        if rule.quote not in text:
            raise ValueError(f"findings rule for {country} quotes words not in raw/findings/{country}.csv: {rule.quote!r}")
        for ind in indicators:
            if ind.kind != "statistical":
                continue
            if ind.dimension in rule.dimensions or ind.theme in rule.themes or ind.id in rule.indicators:
                for r in rounds:
                    if ind.asked_in(r):
                        fixed[(country, r, ind.id)] = FixedAnswer(
                            "no data", "", f"REAL: data-availability finding: \"{rule.quote}\".")
    return fixed


def real_answers(bip_rows: dict[str, list[dict]], findings: dict[str, list[dict]], indicators: list,
                 rounds: list[str]) -> dict[tuple[str, str, str], FixedAnswer]:
    """All fixed answers; a printed BIP-statistics cell takes precedence over a finding."""
    out: dict[tuple[str, str, str], FixedAnswer] = {}
    for country in sorted(set(bip_rows) | set(findings)):
        out.update(findings_answers(country, findings.get(country, []), indicators, rounds))
        cells, _ = bip_statistics_answers(country, bip_rows.get(country, []), rounds)
        for key, fa in cells.items():
            if fa.answer is None and key in out:   # the cell is silent for this date: the finding stands
                continue
            out[key] = fa
    return out


def load_real_answers(raw_dir, codebook, countries: list[str], rounds: list[str]) -> dict:
    """Read raw/bip_statistics and raw/findings of ``countries`` and return their fixed answers."""
    raw_dir = Path(raw_dir)
    bips, finds = {}, {}
    dims = [d["id"] for d in codebook.dimensions]
    for c in countries:
        rows, problems = read_bip_statistics(raw_dir / "bip_statistics" / f"{c}.csv")
        f_rows, f_problems = read_findings(raw_dir / "findings" / f"{c}.csv", dims)
        if problems or f_problems:
            raise ValueError("; ".join(str(p) for p in problems + f_problems))
        bips[c], finds[c] = rows, f_rows
    return real_answers(bips, finds, codebook.indicators, rounds)
