"""What a reader of the printed reports sees, checked on every generated PDF (pdfplumber text
positions): nothing drawn outside the printable area, no two text runs printed over each other,
every row of every table of the .qmd printed as its own line, no page left more than half empty
unless a chapter ends there, and a running header naming the report, the round span and
"illustrative indicator answers" on every page. Plus the numbers of the country report's score,
change, rank and BIP tables against the parquet tables (every cell, not only the headline)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from conftest import ROOT

pdfplumber = pytest.importorskip("pdfplumber")

pytestmark = pytest.mark.workflow

CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
COUNTRIES = {c["code"]: c["name"] for c in CONFIG["countries"]}
ROUNDS = [r["id"] for r in CONFIG["rounds"]]
REPORTS = [f"country/{c}" for c in COUNTRIES] + ["comparative/comparative"]
MM = 72 / 25.4
PRINTABLE_INSET = 8 * MM  # no text closer than 8 mm to the paper's edge (what printers can print)
HEADING_SIZE = 13  # points: level-1 headings (chapters) are set larger than this, body text smaller


# ------------------------------------------------------------------ checks (pure functions of a PDF)

def text_outside_printable_area(page) -> list[str]:
    x_lo, y_lo = PRINTABLE_INSET, PRINTABLE_INSET
    x_hi, y_hi = page.width - PRINTABLE_INSET, page.height - PRINTABLE_INSET
    return [f"{c['text']!r} at ({c['x0']:.0f}, {c['top']:.0f})" for c in page.chars
            if c["text"].strip() and (c["x0"] < x_lo or c["x1"] > x_hi or c["top"] < y_lo or c["bottom"] > y_hi)]


def overlapping_text(page, shrink: float = 0.25) -> list[str]:
    """Pairs of characters whose boxes overlap (each box shrunk by ``shrink`` of its size on every
    side, so kerning and accents do not count): text printed over other text."""
    boxes = []
    for c in page.chars:
        if not c["text"].strip():
            continue
        dx, dy = shrink * (c["x1"] - c["x0"]), shrink * (c["bottom"] - c["top"])
        boxes.append((c["top"] + dy, c["bottom"] - dy, c["x0"] + dx, c["x1"] - dx, c["text"]))
    boxes.sort()
    found = []
    for i, (top, bottom, x0, x1, text) in enumerate(boxes):
        for other in boxes[i + 1:]:
            if other[0] >= bottom:
                break
            if other[2] < x1 and x0 < other[3]:
                found.append(f"{text!r} and {other[4]!r} at ({x0:.0f}, {top:.0f})")
    return found


PAGE_NUMBER = re.compile(r"(Page )?\d+( of \d+)?")


def body_lines(page) -> list[dict]:
    """Text lines of a page without its running header (top 20 mm) and page number."""
    return [line for line in page.extract_text_lines()
            if line["top"] > 20 * MM and not PAGE_NUMBER.fullmatch(line["text"].strip())]


def content_bottom(page) -> float:
    bottoms = [line["bottom"] for line in body_lines(page)]
    bottoms += [im["bottom"] for im in page.images if im["bottom"] < page.height - 20 * MM]
    return max(bottoms, default=0.0)


def starts_chapter(page) -> bool:
    lines = body_lines(page)
    return bool(lines) and lines[0]["chars"][0]["size"] > HEADING_SIZE


def half_empty_pages(pdf) -> list[int]:
    """Pages (1-based) filled less than half of the body height, other than the last page and
    pages followed by a new chapter."""
    pages = pdf.pages
    out = []
    for i, page in enumerate(pages[:-1]):
        top, bottom = 20 * MM, page.height - 20 * MM
        if (content_bottom(page) - top < 0.5 * (bottom - top) and not starts_chapter(pages[i + 1])
                and not starts_with_figure_taller_than(pages[i + 1], bottom - content_bottom(page))):
            out.append(i + 1)
    return out


def starts_with_figure_taller_than(page, space: float) -> bool:
    """The page opens with an image taller than ``space``: a figure does not split, so the page
    before it may stay part empty (floating it instead would move it away from its section)."""
    body_top = 20 * MM
    first = min((w["top"] for w in page.extract_words() if w["top"] > body_top), default=page.height)
    words = sorted(page.extract_words(), key=lambda w: w["top"])
    for img in page.images:
        if img["top"] > first + 2:
            continue
        end = img["bottom"]  # the figure runs on through its caption (lines close below the image)
        for w in words:
            if end - 2 < w["top"] <= end + 8:
                end = max(end, w["bottom"])
        if end - img["top"] > space:
            return True
    return False


def _words(text: str) -> list[str]:
    return re.sub(r"[\\*`]", "", text).replace("…", "...").split()


def qmd_tables(qmd_text: str) -> list[list[str]]:
    """First-column cells of every pipe table in a .qmd (visible text), table by table."""
    tables, current = [], None
    for line in qmd_text.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
            current.append(line)
            continue
        if current is not None:
            body = [row for row in current[2:]]  # header and separator line first
            cells = [re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", row.strip("|").split("|")[0]).strip() for row in body]
            tables.append(cells)
            current = None
    return tables


def missing_table_rows(pdf, qmd_text: str) -> list[str]:
    """Rows of the .qmd tables not printed as their own line in the PDF: the tables are matched in
    order; each row's first cell must begin a line, after the previous row's line, before the next
    caption."""
    lines = [line for page in pdf.pages for line in body_lines(page)]
    starts = [i for i, line in enumerate(lines) if re.match(r"(Table|Figure) \d+:", line["text"])]
    tables = [t for t in qmd_tables(qmd_text)]
    table_starts = [i for i in starts if lines[i]["text"].startswith("Table")]
    assert len(table_starts) == len(tables), (len(table_starts), len(tables))
    missing = []
    for k, (start, cells) in enumerate(zip(table_starts, tables)):
        end = next((i for i in starts if i > start), len(lines))
        pos = start + 1
        for cell in cells:
            want = _words(cell)[:1]
            hit = next((i for i in range(pos, end) if _words(lines[i]["text"])[:1] == want), None)
            if hit is None:
                missing.append(f"table {k + 1}: row {cell!r}")
            else:
                pos = hit + 1
    return missing


# ------------------------------------------------------------------ over every generated PDF

@pytest.fixture(scope="module")
def pdfs(full_project):
    opened = {r: pdfplumber.open(full_project / "reports" / f"{r}.pdf") for r in REPORTS}
    yield opened
    for pdf in opened.values():
        pdf.close()


def _qmd(full_project, report) -> str:
    kind, stem = report.split("/")
    folder = full_project / "reports" / "_work" / kind
    return ((folder / f"{stem}.qmd") if kind == "comparative" else (folder / stem / f"{stem}.qmd")).read_text("utf-8")


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_text_stays_on_the_page_and_never_overprints(report, pdfs):
    for number, page in enumerate(pdfs[report].pages, 1):
        assert not text_outside_printable_area(page)[:5], (report, number)
        assert not overlapping_text(page)[:5], (report, number)


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_tables_print_every_row(report, pdfs, full_project):
    assert not missing_table_rows(pdfs[report], _qmd(full_project, report))


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_pages_are_filled_and_labelled(report, pdfs):
    pdf = pdfs[report]
    assert not half_empty_pages(pdf), report
    code = report.split("/")[1]
    subject = COUNTRIES.get(code, "Comparative report")
    for number, page in enumerate(pdf.pages, 1):
        header = " ".join(line["text"] for line in page.extract_text_lines() if line["top"] < 20 * MM)
        assert subject in header and f"{ROUNDS[0]}-{ROUNDS[-1]}" in header, (report, number, header)
        assert "illustrative indicator answers" in header, (report, number, header)
    meta = pdf.metadata
    # the Title field is what a viewer shows in its window and tab: labelled like the pages
    assert "illustrative" in meta.get("Title", "").lower() and subject in meta.get("Title", ""), meta
    assert "illustrative" in meta.get("Subject", "").lower(), meta


def test_layout_checks_catch_broken_pages(tmp_path):
    """The checks above fail on the defects they are for, in a small Typst document that has them:
    a long table in an unbreakable figure (Typst squeezes the rows that do not fit over each other
    at the foot of the page, as in the reports before breakable tables), text placed off the page,
    and a page left nearly empty before a page that starts no chapter."""
    import typst

    n = 120
    rows = "".join(f"[r{i}], [{i}],\n" for i in range(n))
    src = tmp_path / "bad.typ"
    src.write_text('#set page(paper: "a4")\n#show figure.where(kind: table): set figure.caption(position: top)\n'
                   "Short.\n#pagebreak()\nA page that starts no chapter.\n"
                   f"#figure(table(columns: 2, {rows}), caption: [x])\n"
                   "#place(dx: 0pt, dy: 800pt)[below the printable area]\n", encoding="utf-8")
    path = tmp_path / "bad.pdf"
    path.write_bytes(typst.compile(str(src)))
    qmd = "| a | b |\n|---|---|\n" + "".join(f"| r{i} | {i} |\n" for i in range(n)) + "\n: x\n"
    with pdfplumber.open(path) as pdf:
        assert any(text_outside_printable_area(p) for p in pdf.pages)
        assert any(overlapping_text(p) for p in pdf.pages)
        assert 1 in half_empty_pages(pdf)
        assert missing_table_rows(pdf, qmd)
    assert qmd_tables("| a | b |\n|---|---|\n| x | 1 |\n| y | 2 |\n\n") == [["x", "y"]]


# ------------------------------------------------------------------ every number of the country tables

def _cells(qmd_text: str, caption_start: str) -> list[list[str]]:
    """The cells of the pipe table whose caption starts with ``caption_start``."""
    blocks = re.split(r"\n\n", qmd_text)
    for i, block in enumerate(blocks):
        if block.startswith(": " + caption_start) and i > 0 and blocks[i - 1].startswith("|"):
            rows = blocks[i - 1].splitlines()[2:]
            # a cell as a reader sees it: attribute spans dropped, markdown escapes (names are
            # escaped by niem.core.safety.markdown_text) read
            return [[re.sub(r"\\(.)", r"\1", re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", c)).strip()
                     for c in r.strip().strip("|").split("|")] for r in rows]
    raise AssertionError(f"no table captioned {caption_start!r}")


def _num(text: str) -> float:
    return float(text.replace("+", ""))


def _fmt1(value) -> str:
    return "no score" if pd.isna(value) else f"{value:.1f}"


@pytest.mark.parametrize("code", list(COUNTRIES))
def test_every_number_in_country_tables_matches_the_parquet(code, full_project):
    qmd = _qmd(full_project, f"country/{code}")
    results = full_project / "results"
    overall = pd.read_parquet(results / "countries" / code / "overall_scores.parquet").set_index("round")
    steps = pd.read_parquet(results / "countries" / code / "overall_step_scores.parquet")
    position = pd.read_parquet(results / "report_extracts" / code / "report_position.parquet")
    change = pd.read_parquet(results / "report_extracts" / code / "report_change.parquet")
    codebook = yaml.safe_load((results / "codebook.json").read_text())
    step_ids = [s["id"] for s in codebook["steps"]]
    dim_names = {d["id"]: d["name"] for d in codebook["dimensions"] if d["scored"]}

    # overall table: overall, each step score, rank and its range per round
    for row in _cells(qmd, "Overall score and the three step scores"):
        r = row[0].split()[0]
        assert row[1] == _fmt1(overall.at[r, "score"]), (code, row)
        for s, cell in zip(step_ids, row[2:2 + len(step_ids)]):
            value = steps[(steps["round"] == r) & (steps["step"] == s)]["score"]
            assert cell == _fmt1(value.iloc[0] if len(value) else float("nan")), (code, r, s, cell)
        pos = position[(position["round"] == r) & (position["level"] == "overall")].iloc[0]
        rank = row[-1]
        assert rank.startswith(f"{pos['rank_baseline']:.0f} of {pos['n_ranked']}"), (code, rank)
        if pos["rank_p05"] == pos["rank_p95"]:
            assert f"rank {pos['rank_p05']:.0f} in every variant" in rank
        else:
            assert f"({pos['rank_p05']:.0f} to {pos['rank_p95']:.0f})" in rank, (code, rank)

    # change tables: one number per question, with its own interval
    if len(ROUNDS) > 1:
        over = change[change["level"] == "overall"]
        for row in _cells(qmd, "Overall change between rounds"):
            a, b = row[0].split(" to ")
            p = over[(over["from_round"] == a) & (over["to_round"] == b)].iloc[0]
            assert _num(row[1]) == pytest.approx(p["paired_change"], abs=0.051), (code, row)
            lo, hi = row[2].split(" to ")
            assert (_num(lo), _num(hi)) == pytest.approx((p["ci_low"], p["ci_high"]), abs=0.051), (code, row)
            assert int(row[3]) == p["n_paired"]
        dims = change[change["level"] == "dimension"]
        names = {v: k for k, v in dim_names.items()}
        pairs = list(zip(ROUNDS, ROUNDS[1:])) + ([(ROUNDS[0], ROUNDS[-1])] if len(ROUNDS) > 2 else [])
        for row in _cells(qmd, "Change per dimension"):
            for (a, b), value, interval in zip(pairs, row[1::2], row[2::2]):
                p = dims[(dims["dimension"] == names[row[0]]) & (dims["from_round"] == a) & (dims["to_round"] == b)]
                if p.empty or pd.isna(p.iloc[0]["paired_change"]):
                    assert value == "n/a"
                    continue
                assert _num(value) == pytest.approx(p.iloc[0]["paired_change"], abs=0.051), (code, row)
                lo, hi = interval.split(" to ")
                assert _num(lo) == pytest.approx(p.iloc[0]["ci_low"], abs=0.051)
                assert _num(hi) == pytest.approx(p.iloc[0]["ci_high"], abs=0.051)

    # rank table: score, its range, rank and the ranks over the variants
    latest = position[position["round"] == ROUNDS[-1]]
    for row in _cells(qmd, f"{ROUNDS[-1]}: score and rank among the countries"):
        sel = latest[latest["level"] == "overall"] if row[0] == "Overall" else latest[
            latest["dimension"] == {v: k for k, v in dim_names.items()}[row[0]]]
        p = sel.iloc[0]
        assert row[1] == _fmt1(p["score_baseline"]), (code, row)
        if pd.notna(p["score_p05"]):
            assert row[2] == f"{p['score_p05']:.1f} to {p['score_p95']:.1f}", (code, row)
        assert row[4] == f"{p['rank_baseline']:.0f} of {p['n_ranked']}" or pd.isna(p["rank_baseline"]), (code, row)

    # the same score is the same number everywhere in the report
    ranks = {row[0]: row[1] for row in _cells(qmd, f"{ROUNDS[-1]}: score and rank among the countries")}
    assert ranks["Overall"] == _fmt1(overall.at[ROUNDS[-1], "score"]), (code, ranks["Overall"])
    for row in _cells(qmd, "Dimension scores (0-100) by round"):
        assert ranks.get(row[0], row[len(ROUNDS)]) == row[len(ROUNDS)], (code, row, ranks.get(row[0]))

    # BIP table: every printed value as in the transcription
    bip = pd.read_parquet(results / "countries" / code / "bip_statistics.parquet")
    if len(bip):
        printed = " ".join(" ".join(r) for r in _cells(qmd, "BIP statistics as printed"))
        for value in bip["value_as_printed"].dropna():
            assert re.sub(r"\\", "", str(value)).split()[0] in re.sub(r"\\", "", printed), (code, value)


# ------------------------------------------------------------------ interval and p-value of one test agree

def test_interval_and_p_value_shown_together_agree(full_project):
    """Wherever the comparative report prints an interval and a p-value in one row (average change,
    convergence), the interval excludes 0 exactly when p is below 1 - confidence level. (The sigma
    rows' interval is a bootstrap and their p-value another test's: printed side by side they
    disagreed, +0.060 to +2.277 beside p = 0.075.)"""
    level = CONFIG["analysis"]["confidence_level"]
    qmd = _qmd(full_project, "comparative/comparative")
    checked = 0
    for caption in ("Average change across countries", "Convergence of"):
        rows = _cells(qmd, caption)
        for row in rows:
            interval = next((c for c in row if " to " in c and re.fullmatch(r"[-+]?\d+\.\d+ to [-+]?\d+\.\d+", c)), None)
            p_cell = row[-1] if caption.startswith("Convergence") else row[-2]
            if interval is None or not re.fullmatch(r"(< )?[\d.]+", p_cell):
                continue
            lo, hi = (_num(x) for x in interval.split(" to "))
            p_value = 0.0 if p_cell.startswith("<") else float(p_cell)
            assert (lo > 0 or hi < 0) == (p_value < 1 - level), (caption, row)
            checked += 1
    assert checked
