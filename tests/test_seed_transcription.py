"""The real data in raw/ against the copy of the source text in docs/source/ (issue 16).

Every findings item must be found in the NIEM Project Summary's text extraction once its line breaks
are joined (with the transcription conventions of raw/README.md undone), and no URL in raw/ may
contain a space (a line break inside a URL is joined without one).
"""

import csv
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "docs" / "source" / "niem-project-summary-2016-2022.txt"
# page headers and footers of the extraction, removed by the transcription (raw/README.md)
JUNK = re.compile(r"^(National Integration Evaluation Mechanisms \(NIEM\) in 14 EU Member States|Project Summary 2016-2022|\d{1,3})$")
# words the PDF hyphenated at a line end and the extraction glued: re-hyphenated in raw/findings
REHYPHENATED = ("local-level", "third-country", "state-funded", "multi-stakeholder", "pre-knowledge",
                "socio-demographic", "legal-administrative")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_text() -> str:
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").split("\n")]
    return as_in_seed("".join(ln for ln in lines if not JUNK.match(ln)).replace("----", "—"))


def as_in_seed(text: str) -> str:
    """Whitespace removed, and the re-hyphenated words written glued (the seed has both spellings)."""
    for word in REHYPHENATED:
        text = text.replace(word, word.replace("-", ""))
    return _squash(text)


def findings_items():
    for path in sorted((ROOT / "raw" / "findings").glob("*.csv")):
        body = "".join(ln for ln in path.read_text(encoding="utf-8").splitlines(keepends=True) if not ln.startswith("#"))
        for line, row in enumerate(csv.DictReader(io.StringIO(body)), start=2):
            yield f"{path.name}:{line}", row["text"]


def test_the_seed_copy_is_in_the_repository():
    assert SEED.is_file() and SEED.stat().st_size > 100_000


def test_every_findings_item_is_in_the_seed():
    seed = seed_text()
    items = list(findings_items())
    missing = [where for where, text in items if as_in_seed(text) not in seed]
    assert len(items) > 100
    assert not missing, f"findings items not found in the source text: {', '.join(missing)}"


def test_a_changed_word_is_caught():
    seed = seed_text()
    where, text = next(findings_items())
    assert as_in_seed(text) in seed
    assert as_in_seed(text.replace(" the ", " a ", 1)) not in seed, where


def urls_with_spaces(text: str) -> list[str]:
    """URLs followed by a space and a continuation that looks like a URL's tail (path, query)."""
    return [m.group(0) for m in re.finditer(r"https?://\S+ (?=[^\s]*[/_?=.][^\s]*)\S+", text)
            if re.search(r"https?://\S+ \S*[/_?=]", m.group(0))]


@pytest.mark.parametrize("folder", ["findings", "bip_statistics", "evidence"])
def test_no_url_in_raw_contains_a_space(folder):
    bad = []
    for path in sorted((ROOT / "raw" / folder).rglob("*.csv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            bad += [f"{path.relative_to(ROOT)}:{n}: {u}" for u in urls_with_spaces(line)]
    assert not bad, "URLs with a space (a joined line break?):\n" + "\n".join(bad)


def test_url_check_catches_the_known_faults():
    assert urls_with_spaces("(https://ec.europa.eu/eurostat/databrowser/view/MIGR_RES VALID__custom_2631414/default/table?lang=en).")
    assert urls_with_spaces("outcome: http://www.libertaciviliimmigrazione.dlci.interno.gov.it/it/documentazione/sta tistica/i-numeri-dellasilo. Now")
    assert not urls_with_spaces("see https://ec.europa.eu/eurostat/data/database, with English language definitions")


def test_register_quotes_from_the_summary_are_in_the_seed():
    """Every 'as_printed' of a register entry sourced from the Project Summary is in the source text
    ('...' marks left-out words; typographic apostrophes compared as plain ones)."""
    import yaml

    seed = seed_text().replace("’", "'")
    figures = yaml.safe_load((ROOT / "config" / "published_figures.yaml").read_text(encoding="utf-8"))["figures"]
    quoted = [f for f in figures if f.get("as_printed") and "NIEM Project Summary" in f["source"]]
    missing = [f["id"] for f in quoted
               if not all(as_in_seed(part.replace("’", "'")) in seed for part in f["as_printed"].split("..."))]
    assert len(quoted) >= 40
    assert not missing, f"quotes not found in the Project Summary: {missing}"
