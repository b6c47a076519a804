"""The reports end to end, on a built copy of the whole project (14 countries x 3 rounds):
15 HTML and 15 PDF files plus the QA annexes; every HTML report opened in headless Chromium (no
console errors, every image loaded with alt text of its own, every caption of synthetic numbers
saying "illustrative", the <title> too, row headers, nothing wider than the window at 1280 and
390 px, the headline numbers equal the parquet values); every PDF has pages with the country's
name and scores; the .qmd sources are Quarto documents without code; changing one country's raw
file re-renders that country's report and the comparative one only. The print layout and every
number of the country tables: tests/test_report_layout.py."""

import os
import re
import shutil
import time

import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT
from workflow_helpers import snakemake

pytestmark = pytest.mark.workflow

CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
COUNTRIES = {c["code"]: c["name"] for c in CONFIG["countries"]}
ROUNDS = [r["id"] for r in CONFIG["rounds"]]
REPORTS = [f"country/{c}" for c in COUNTRIES] + ["comparative/comparative"]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail("Chromium and ChromeDriver are required in CI (.ci/run installs the Debian packages "
                        "chromium and chromium-driver)")
        pytest.skip("Chromium/ChromeDriver not installed (Debian: apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Flags for a closed network and a root sandbox (see the machine notes in the README).
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def check_at_desktop_and_phone_widths(browser, page, check):
    """Open ``page`` at 1280 px (desktop), then 390 px (phone), and call ``check(width)`` each time;
    the window is put back to the fixture's size afterwards, also when a check fails."""
    try:
        for width in (1280, 390):
            browser.set_window_size(width, 900)
            browser.get(page.as_uri())
            check(width)
    finally:
        browser.set_window_size(1280, 1600)


@pytest.fixture(scope="module")
def tables(full_project):
    results = full_project / "results"
    return {name: pd.read_parquet(results / f"{name}.parquet") for name in ("overall_scores", "robustness_scores")}


def test_builds_15_html_and_15_pdf_reports(full_project):
    html = sorted((full_project / "reports").rglob("*.html"))
    pdf = sorted((full_project / "reports").rglob("*.pdf"))
    assert [p.relative_to(full_project / "reports").as_posix() for p in html
            if "_work" not in p.parts and "qa" not in p.parts] == sorted(f"{r}.html" for r in REPORTS)
    assert sorted(p.name for p in (full_project / "reports" / "qa").glob("*.html")) == sorted(
        [f"{c}.html" for c in COUNTRIES] + ["summary.html"])
    assert len([p for p in pdf if "_work" not in p.parts]) == len(COUNTRIES) + 1
    info = yaml.safe_load((full_project / "reports" / "render_info.json").read_text())
    assert info["engine"] in ("pandoc", "quarto") and info["versions"]


def _headline_value(tables, attrs):
    if attrs["table"] == "overall_scores":
        frame = tables["overall_scores"]
        row = frame[(frame["country"] == attrs["country"]) & (frame["round"] == attrs["round"])]
        return row["score"].iloc[0]
    if attrs["table"] == "report_position":
        frame = tables["robustness_scores"]
        row = frame[(frame["country"] == attrs["country"]) & (frame["round"] == attrs["round"])
                    & (frame["level"] == "overall")]
        return row["rank_baseline"].iloc[0]
    raise AssertionError(f"unknown headline table {attrs}")


@pytest.mark.parametrize("report", REPORTS)
def test_html_report_in_chromium(report, full_project, browser, tables):
    path = full_project / "reports" / f"{report}.html"
    browser.get(path.as_uri())
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.getAttribute('src').slice(0, 30), i.complete, i.naturalWidth])")
    assert len(images) >= 3
    assert all(complete and width > 0 for _, complete, width in images), images
    assert all(src.startswith("data:image/png") for src, _, _ in images), "images must be embedded"
    assert "synthetic" in browser.find_element("css selector", ".callout-warning").text
    headlines = browser.execute_script(
        "return Array.from(document.querySelectorAll('.headline')).map(e => "
        "[e.textContent, e.dataset.table, e.dataset.country || '', e.dataset.round])")
    code = report.split("/")[1]
    expected = len(ROUNDS) * (2 if code in COUNTRIES else len(COUNTRIES))
    assert len(headlines) >= expected, headlines
    for text, table, country, round_ in headlines:
        attrs = {"table": table, "country": country or code, "round": round_}
        value = _headline_value(tables, attrs)
        assert float(text) == pytest.approx(value, abs=0.05 if table == "overall_scores" else 0), (text, attrs)
    no_external = browser.execute_script(
        "return Array.from(document.querySelectorAll('[src],link[href]')).filter(e => "
        "/^https?:/.test(e.getAttribute('src') || e.getAttribute('href'))).length")
    assert no_external == 0  # self-contained: one file, nothing fetched


# Captions of tables that hold no synthetic number: real data, and the appendix listing file names.
NOT_SYNTHETIC = ("(real data", "files behind each table and figure")
OVERFLOW_JS = """
const vw = document.documentElement.clientWidth, out = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= vw + 1) continue;
  let clipped = false;
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && a.getBoundingClientRect().right <= vw + 1) {
      clipped = true; break; }
  }
  if (!clipped) out.push(el.tagName + ' ' + (el.textContent || '').slice(0, 40) + ' right=' + Math.round(r.right));
}
return [document.documentElement.scrollWidth, vw, out.slice(0, 5)];
"""


@pytest.mark.parametrize("report", REPORTS)
def test_html_report_tells_a_reader_what_it_shows(report, full_project, browser):
    """Alt text of every image differs from its caption; every caption over synthetic numbers says
    "illustrative", and so does the <title>; tables have row headers; no element is wider than the
    window at 1280 px (desktop) and 390 px (phone)."""
    browser.get((full_project / "reports" / f"{report}.html").as_uri())
    assert "illustrative" in browser.title, browser.title
    figures = browser.execute_script(
        "const plain = s => (s || '').replace(/\\s+/g, ' ').trim();"
        "return Array.from(document.images).map(i => [plain(i.getAttribute('alt')), "
        "plain(i.closest('figure')?.querySelector('figcaption')?.textContent)])")
    for alt, caption in figures:
        assert alt.strip() and alt.strip() != caption, (alt, caption)
        assert "illustrative" in caption.lower(), caption
    # a table's caption: <caption> (pandoc), or the figcaption of Quarto's cross-referenced table float
    captions = browser.execute_script(
        "return Array.from(document.querySelectorAll('table caption, figure.quarto-float-tbl > figcaption'))"
        ".map(c => c.textContent.replace(/\\s+/g, ' '))")
    assert captions
    for caption in captions:
        assert "illustrative" in caption.lower() or any(mark in caption for mark in NOT_SYNTHETIC), caption
    rows = browser.execute_script("return [document.querySelectorAll('tbody tr').length, "
                                  "document.querySelectorAll('tbody tr > th[scope=row]:first-child').length]")
    assert rows[0] and rows[0] == rows[1], rows
    def fits(width):
        scroll, viewport, wide = browser.execute_script(OVERFLOW_JS)
        assert scroll <= viewport and not wide, (width, scroll, viewport, wide)

    check_at_desktop_and_phone_widths(browser, full_project / "reports" / f"{report}.html", fits)


# Every header cell whose content box is narrower than one of its words: that word is broken
# mid-word ("Roun" / "d"). Words are measured unbroken in the cell's own font.
BROKEN_HEADER_WORDS_JS = """
const out = [];
for (const th of document.querySelectorAll('th')) {
  const style = getComputedStyle(th);
  const inner = th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  for (const word of th.textContent.split(/[\\s\\/-]+/).filter(w => w.length > 1)) {  // lines may break after - and /
    const probe = document.createElement('span');
    probe.textContent = word;
    probe.style.cssText = 'position:absolute; visibility:hidden; white-space:nowrap';
    th.appendChild(probe);
    const wide = probe.getBoundingClientRect().width;
    probe.remove();
    if (wide > inner + 0.5) out.push([word, Math.round(wide), Math.round(inner)]);
  }
}
return out;
"""


@pytest.mark.parametrize("page", ["country/BG", "comparative/comparative", "qa/BG", "qa/summary"])
def test_table_header_cells_never_break_inside_a_word(page, full_project, browser):
    def whole_words(width):
        assert browser.execute_script("return document.querySelectorAll('th').length")
        assert browser.execute_script(BROKEN_HEADER_WORDS_JS) == [], width

    check_at_desktop_and_phone_widths(browser, full_project / "reports" / f"{page}.html", whole_words)


@pytest.mark.parametrize("code", list(COUNTRIES))
def test_clarification_items_are_in_the_qa_annex_not_the_readers_report(code, full_project):
    items = pd.read_parquet(full_project / "results" / "countries" / code / "clarification_items.parquet")
    readers = (full_project / "reports" / "country" / f"{code}.html").read_text(encoding="utf-8")
    qa = (full_project / "reports" / "qa" / f"{code}.html").read_text(encoding="utf-8")
    summary = (full_project / "reports" / "qa" / "summary.html").read_text(encoding="utf-8")
    assert "illustrative" in qa.split("</title>")[0]
    for code_ in items["issue_code"].unique():
        assert code_ not in readers and code_ in qa and code_ in summary, code_
    for row in items.head(20).itertuples():
        assert row.indicator_id in qa and row.file in qa
    assert "raw/evidence" not in readers and ".parquet" not in readers[:readers.rindex("How this report was made")]


@pytest.mark.parametrize("code", list(COUNTRIES))
def test_country_pdf_has_name_and_scores(code, full_project, tables):
    reader = PdfReader(full_project / "reports" / "country" / f"{code}.pdf")
    assert len(reader.pages) >= 4
    text = " ".join(page.extract_text() for page in reader.pages)
    assert COUNTRIES[code] in text
    scores = tables["overall_scores"]
    for r in ROUNDS:
        value = scores[(scores["country"] == code) & (scores["round"] == r)]["score"].iloc[0]
        assert f"{value:.1f}" in text, (code, r, value)
    assert "synthetic" in text


def test_comparative_pdf_has_every_country(full_project, tables):
    reader = PdfReader(full_project / "reports" / "comparative" / "comparative.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    latest = tables["overall_scores"][tables["overall_scores"]["round"] == ROUNDS[-1]]
    for row in latest.itertuples():
        assert COUNTRIES[row.country] in text or f"({row.country})" in text
        assert f"{row.score:.1f}" in text
    assert "Published" in text


@pytest.mark.parametrize("report", REPORTS)
def test_qmd_sources_are_quarto_documents_without_code(report, full_project):
    kind, stem = report.split("/")
    folder = full_project / "reports" / "_work" / kind
    qmd = (folder / f"{stem}.qmd") if kind == "comparative" else (folder / stem / f"{stem}.qmd")
    text = qmd.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, "a Quarto document starts with a YAML front matter block"
    front = yaml.safe_load(match.group(1))
    assert front["format"]["html"]["embed-resources"] is True and "typst" in front["format"]
    assert front["title"]
    assert not re.search(r"^```+\s*\{(?!=)", text, re.M), "no executable code cells (a raw {=format} block is not code)"
    assert "{{" not in text and "{%" not in text, "template fully filled"
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (qmd.parent / image).is_file(), image


def _reports_run(log: str) -> set[str]:
    runs = set(re.findall(r"rule country_report:.*?wildcards: country=(\S+)", log, re.S))
    if "rule comparative_report:" in log:
        runs.add("comparative")
    return runs


def _change_bg_answer(full_project, tmp_path, old: str, new: str):
    """Copy the built project (keeping mtimes), change one line of BG's 2021 evidence, re-run
    everything; returns the work folder, the run's log and the countries whose extracts (rank,
    change, cross-country benchmark) changed."""
    work = tmp_path / "project"
    shutil.copytree(full_project, work, symlinks=True, copy_function=shutil.copy2)
    extract = lambda c: [p.read_bytes() for p in sorted((work / "results" / "report_extracts" / c).glob("*.parquet"))]  # noqa: E731
    before = {c: extract(c) for c in COUNTRIES}
    time.sleep(1.1)
    path = work / "raw" / "evidence" / "2021" / "BG.csv"
    text = path.read_text(encoding="utf-8")
    assert f"\n{old}" in text
    path.write_text(text.replace(f"\n{old}", f"\n{new}"), encoding="utf-8")
    proc = snakemake(work, "all")
    return work, proc.stdout + proc.stderr, {c for c in COUNTRIES if extract(c) != before[c]}


def test_copied_project_is_up_to_date(full_project, tmp_path):
    work = tmp_path / "project"
    shutil.copytree(full_project, work, symlinks=True, copy_function=shutil.copy2)
    proc = snakemake(work, "all")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_changing_one_country_rerenders_only_its_report(full_project, tmp_path):
    """A corrected answer in Bulgaria's 2021 evidence: only BG's report and the comparative one are
    re-rendered; a report whose inputs (incl. its rank extract) are unchanged is not."""
    work, log, changed = _change_bg_answer(full_project, tmp_path, "MS-L04,6.66,", "MS-L04,6.71,")
    assert _reports_run(log) == {"BG", "comparative"}, log[-3000:]
    assert changed <= {"BG"}
    bg = pd.read_parquet(work / "results" / "countries" / "BG" / "indicator_scores.parquet")
    assert bg[(bg["round"] == "2021") & (bg["indicator_id"] == "MS-L04")]["value"].iloc[0] == 6.71


def test_a_rank_change_rerenders_exactly_the_reports_that_show_it(full_project, tmp_path):
    """A change that moves ranks: besides BG's, exactly the reports whose extracts changed are
    re-rendered (their content changed), the others are skipped by checksum. (This change also
    moves a printed 14-country average, which every country report shows since issue 14, so here
    that is every report; test_changing_one_country_rerenders_only_its_report checks the skipping.)"""
    _, log, changed = _change_bg_answer(full_project, tmp_path, "HOU-P01,partly,", "HOU-P01,yes,")
    assert "BG" in changed
    assert _reports_run(log) == changed | {"BG", "comparative"}


HOSTILE = 'Provide <script>alert("x")</script> *funds* [link](http://evil.example) $x$ @cite {{< include /etc/passwd >}} # not a heading'


@pytest.fixture(scope="module")
def tiny_reports(tmp_path_factory):
    """2 countries x 2 rounds, with a recommendation full of markup planted in Bulgaria's findings."""
    from test_workflow import tiny_project

    work = tiny_project(tmp_path_factory.mktemp("tiny_reports"))
    path = work / "raw" / "findings" / "BG.csv"
    text = path.read_text(encoding="utf-8")
    assert "Provide financial resources for the programme implementation." in text
    path.write_text(text.replace("Provide financial resources for the programme implementation.",
                                 '"' + HOSTILE.replace('"', '""') + '"'), encoding="utf-8")
    snakemake(work, "reports")
    return work


def test_free_text_shows_as_text_in_html_and_pdf(tiny_reports, browser):
    browser.get((tiny_reports / "reports" / "country" / "BG.html").as_uri())
    assert browser.execute_script("return document.scripts.length") == 0
    assert browser.execute_script("return document.querySelectorAll('a[href^=\"http\"]').length") == 0
    body = browser.find_element("tag name", "body").text
    assert HOSTILE.replace("{{< include /etc/passwd >}}", "") .split(" # ")[0][:40] in body
    assert '<script>alert("x")</script>' in body and "{{< include /etc/passwd >}}" in body
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    text = " ".join(p.extract_text() for p in PdfReader(tiny_reports / "reports" / "country" / "BG.pdf").pages)
    assert "alert" in text and "evil.example" in text


def test_reports_for_two_rounds_and_two_countries(tiny_reports):
    qmd = (tiny_reports / "reports" / "_work" / "country" / "CZ" / "CZ.qmd").read_text(encoding="utf-8")
    assert "2019 to 2021" in qmd and "2017" not in qmd.split("## Data availability")[0]
    assert "of 2 countries" in qmd
    assert (tiny_reports / "reports" / "comparative" / "comparative.pdf").stat().st_size > 10_000
