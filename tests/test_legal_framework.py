"""The legal-framework tables and comparative conclusions: transcribed from the source text in the
repository (docs/source/), validated like the other raw files."""

import re
from pathlib import Path

import pytest

from niem.inputs.legal_framework import read_comparative_conclusions, read_legal_framework

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
SOURCE = ROOT / "docs" / "source" / "niem-project-summary-2016-2022.txt"
COUNTRIES = sorted(p.stem for p in (RAW / "findings").glob("*.csv"))


def _seed():
    """The source with line breaks joined (and the em-dash convention of raw/README.md), and the
    same without any whitespace (links are joined without spaces)."""
    text = " ".join(line.strip() for line in SOURCE.read_text(encoding="utf-8").split("\n") if line.strip())
    text = re.sub(r"\s+", " ", text.replace("----", "—"))
    return text, re.sub(r"\s+", "", text)


SEED, SEED_NOSPACE = _seed()


def pieces_in_seed(text: str, seed: str = SEED, sep: str = " ") -> list[str] | None:
    """Cover ``text`` with the fewest pieces found in ``seed``, greedily (longest first piece, then
    the next), in units of words (``sep`` " ") or characters (``sep`` ""). None if some unit is
    nowhere in the seed. A row copied as printed is one piece; a cell the extraction printed apart
    is a few."""
    units = text.split(sep) if sep else list(text)
    out, i = [], 0
    while i < len(units):
        j = i + 1
        if sep.join(units[i:j]) not in seed:
            return None
        while j < len(units) and sep.join(units[i:j + 1]) in seed:
            j += 1
        out.append(sep.join(units[i:j]))
        i = j
    return out


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_row_is_in_the_source(country):
    rows, problems = read_legal_framework(RAW / "legal_framework" / f"{country}.csv")
    assert not problems, problems
    for r in rows:
        if r["field"] == "useful_links":  # joined without spaces: compared without whitespace
            found = pieces_in_seed(re.sub(r"\s+", "", r["text"]), SEED_NOSPACE, sep="")
        else:
            found = pieces_in_seed(r["text"])
        assert found is not None, r
        # a row in more than one piece must say it was assembled, and each piece be a real run of text
        if len(found) > 1:
            assert r["note"] and "assembled" in r["note"], (r, found)
            assert len(found) <= 4, found
    fields = {r["field"] for r in rows}
    assert {"crucial_documents", "institutions"} <= fields, (country, fields)


def test_the_check_fails_on_text_not_in_the_source():
    assert pieces_in_seed("Ministry of Social Security and Labour") == ["Ministry of Social Security and Labour"]
    assert pieces_in_seed("Ministry of Social Security and Zebras") is None
    assert len(pieces_in_seed("Ministry of Social Security and Labour Municipalities are the main")) == 2


def test_files_say_they_are_real_and_sourced():
    for path in [*(RAW / "legal_framework").glob("*.csv"), RAW / "comparative_conclusions.csv"]:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# REAL DATA") and "Project Summary 2016-2022" in first, path


def test_comparative_conclusions_are_in_the_source():
    rows, problems = read_comparative_conclusions(RAW / "comparative_conclusions.csv")
    assert not problems
    assert [r["paragraph"] for r in rows] == list(range(1, len(rows) + 1))
    assert sum(r["kind"] == "paragraph" for r in rows) >= 5
    for r in rows:
        assert r["text"] in SEED, r  # each paragraph is one run of the source text


def test_bad_rows_are_named_by_line_and_field(tmp_path):
    path = tmp_path / "XX.csv"
    path.write_text("# comment\nfield,item,text,note\ninstitutions,1,Ministry,\nlaws,1,x,\n"
                    "institutions,1,again,\ncrucial_documents,zero,x,\ncrucial_documents,2,,\n", encoding="utf-8")
    rows, problems = read_legal_framework(path)
    got = [(p.line, p.field) for p in problems]
    assert got == [(4, "field"), (5, "item"), (6, "item"), (7, "text")], problems
    assert "duplicate item 1 in field institutions (first at line 3)" in problems[1].message
    assert [r["text"] for r in rows] == ["Ministry"]
