"""The Quarto engine (report_engine: quarto, issue 17): how it is called (a stand-in `quarto`), its
options file, and, when a real `quarto` is on PATH, what it makes of a small report: readable HTML
as wide as under pandoc, no script, no external URL, the callout drawn by our filters, and a PDF
whose Typst source imports no package (Typst would download it at compile time). The tests that
need Quarto are skipped when it is absent; the whole report suite also runs under Quarto when it is
on PATH (report_engine: auto picks it)."""

import os
import re
import shutil
import stat
import subprocess

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT
from niem.reports.render import QUARTO_DIR, QUARTO_FILES, RenderError, choose_engine, quarto_command, render
from test_report_parts import _work
from test_reports import browser  # noqa: F401  (the headless Chromium fixture)

HAVE_QUARTO = shutil.which("quarto") is not None
needs_quarto = pytest.mark.skipif(not HAVE_QUARTO, reason="quarto is not on PATH (see docs/performance.md for a local build)")


def _fake_quarto(bin_dir, body):
    bin_dir.mkdir()
    script = bin_dir / "quarto"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def test_one_quarto_process_renders_both_formats_in_the_work_folder(tmp_path, monkeypatch):
    """A stand-in `quarto` records its arguments and writes what `quarto render` would."""
    work = _work(tmp_path)
    calls = tmp_path / "calls.txt"
    bin_dir = _fake_quarto(tmp_path / "bin", f'echo "$PWD $@" >> {calls}\n'
                           'echo "<html>q</html>" > t.html; printf "%%PDF-q" > t.pdf\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert choose_engine("auto") == "quarto"
    out = tmp_path / "out"
    render(work / "t.qmd", out / "t.html", out / "t.pdf", "quarto")
    assert calls.read_text().splitlines() == [f"{work} " + " ".join(quarto_command("t.qmd")[1:])]
    assert "--to html,typst" in calls.read_text() and "--metadata-file quarto-options.yml" in calls.read_text()
    for name in QUARTO_FILES:  # the options and the filter they name are next to the source
        assert (work / name).read_bytes() == (QUARTO_DIR / name).read_bytes()
    assert (out / "t.html").read_text() == "<html>q</html>\n" and (out / "t.pdf").read_bytes() == b"%PDF-q"


def test_quarto_failure_is_reported_and_leaves_no_output(tmp_path, monkeypatch):
    work = _work(tmp_path)
    bin_dir = _fake_quarto(tmp_path / "bin", 'echo "<html>half</html>" > t.html; echo "ERROR: bad yaml" >&2\nexit 1\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(RenderError, match="(?s)quarto render \\(HTML and Typst/PDF\\) failed .*bad yaml"):
        render(work / "t.qmd", tmp_path / "o.html", tmp_path / "o.pdf", "quarto")
    assert not (tmp_path / "o.html").exists() and not (tmp_path / "o.pdf").exists()


def test_quarto_options_file_names_existing_filters_run_before_quarto():
    options = yaml.safe_load((QUARTO_DIR / QUARTO_FILES[0]).read_text(encoding="utf-8"))
    assert options["format"]["html"]["minimal"] is True  # no Bootstrap/Sass, no scripts, TOC in the body
    for fmt in ("html", "typst"):
        filters = options["format"][fmt]["filters"]
        assert filters and all(f["at"] == "pre-ast" for f in filters)  # before Quarto turns divs into its callouts
        assert all((QUARTO_DIR / f["path"]).is_file() for f in filters)


# --- with a real Quarto ---------------------------------------------------------------------------

def template_front_matter(name="country.qmd.j2") -> str:
    """The front matter of a real report template, its Jinja fields filled with plain strings."""
    text = (ROOT / "workflow" / "report" / name).read_text(encoding="utf-8")
    front = text.split("---", 2)[1]
    return "---" + re.sub(r"\{\{[^}]*\}\}", '"Test report"', front) + "---\n"


BODY = """
::: {.callout-warning}
## Illustrative answers {.unlisted .unnumbered}
Synthetic answers.
:::

## A section with a figure

Score [42.0]{#headline-x .headline}. Hostile text stays text: &lt;script&gt;alert(1)&lt;/script&gt;.

![A wide figure. Source: test.](figures/f.png){#fig-f width=100%}

## Another section

| A | B |
|:--|--:|
| x | 1.0 |

: A table. {#tbl-t}
"""


@pytest.fixture(scope="module")
def quarto_report(tmp_path_factory):
    if not HAVE_QUARTO:
        pytest.skip("quarto is not on PATH")
    tmp = tmp_path_factory.mktemp("quarto")
    work = _work(tmp)
    (work / "t.qmd").write_text(template_front_matter() + BODY, encoding="utf-8")
    out = tmp / "out"
    render(work / "t.qmd", out / "t.html", out / "t.pdf", "quarto")
    return work, out


@needs_quarto
def test_quarto_html_is_plain_wide_and_has_no_script_or_external_url(quarto_report, browser):  # noqa: F811
    work, out = quarto_report
    html = (out / "t.html").read_text(encoding="utf-8")
    assert "<script" not in html and not re.search(r"(src|href)=\"https?:", html)
    assert '<div class="callout-warning">' in html and "data:image/png;base64," in html
    browser.get((out / "t.html").as_uri())
    widths = browser.execute_script(
        "const img = document.querySelector('figure img, img');"
        "const body = document.body, cs = getComputedStyle(body);"
        "return [img.getBoundingClientRect().width,"
        " body.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)];")
    # the width=100% figure spans the text column, and the column is the page's (report.css), not
    # a column narrowed by a table of contents in a sidebar
    assert widths[0] >= 0.98 * widths[1] and widths[1] >= 800, widths
    toc = browser.execute_script("const t = document.querySelector('nav#TOC'); return t && t.getBoundingClientRect().width")
    assert toc and toc >= 0.98 * widths[1]
    background = browser.execute_script("return getComputedStyle(document.querySelector('.callout-warning')).backgroundColor")
    assert background == "rgb(255, 247, 230)"  # report.css's callout box, as under pandoc
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


@needs_quarto
def test_quarto_pdf_has_the_text_and_its_typst_imports_no_package(quarto_report):
    work, out = quarto_report
    text = " ".join(p.extract_text() for p in PdfReader(out / "t.pdf").pages)
    assert "Test report" in text and "42.0" in text and "Synthetic answers." in text
    # the same render again keeping its Typst source, to read what it imports
    subprocess.run([*quarto_command("t.qmd")[:3], "--to", "typst", *quarto_command("t.qmd")[5:], "-M", "keep-typ:true"],
                   cwd=work, check=True, capture_output=True)
    typ = (work / "t.typ").read_text(encoding="utf-8")
    assert 'fill: rgb("#fff7e6")' in typ  # the callout drawn by callout.lua
    assert not re.search(r'#import\s+"@', typ), re.findall(r'#import\s+"@[^"]*"', typ)


@needs_quarto
def test_quarto_html_is_byte_identical_across_renders(quarto_report, tmp_path):
    work, out = quarto_report
    render(work / "t.qmd", tmp_path / "t.html", tmp_path / "t.pdf", "quarto")
    assert (tmp_path / "t.html").read_bytes() == (out / "t.html").read_bytes()


@pytest.fixture(scope="module")
def quarto_annex(tmp_path_factory):
    """The country annex's indicator lists (tests/test_annex_prerender.py, hostile text among them)
    through write_report under Quarto (raw blocks rendered by pandoc), and the pandoc engine's .qmd
    of the same lists rendered by Quarto as it is: Quarto's own rendering of the markdown lists."""
    if not HAVE_QUARTO:
        pytest.skip("quarto is not on PATH")
    from niem.reports.assemble import prepare_workdir, write_report
    from test_annex_prerender import ANNEX, context

    tmp = tmp_path_factory.mktemp("annex")
    out = tmp / "out"
    for engine in ("quarto", "pandoc"):
        write_report(ANNEX, context(), prepare_workdir(tmp / engine) / "annex.qmd", str(out / f"{engine}.html"),
                     str(out / f"{engine}.pdf"), engine)
    render(tmp / "pandoc" / "annex.qmd", out / "own.html", out / "own.pdf", "quarto")
    return tmp, out


@needs_quarto
def test_quarto_gets_the_annex_lists_as_raw_blocks_and_pandoc_as_markdown(quarto_annex):
    tmp, _ = quarto_annex
    quarto, pandoc = ((tmp / engine / "annex.qmd").read_text(encoding="utf-8") for engine in ("quarto", "pandoc"))
    assert quarto.count("```{=html}\n<ul>") == 3 and quarto.count("```{=typst}\n- #strong[") == 3
    assert "- **A\\-L01**" not in quarto and "### Alpha" in quarto
    assert "```" not in pandoc and "- **A\\-L01**" in pandoc


@needs_quarto
def test_prerendered_annex_renders_as_quarto_renders_the_lists(quarto_annex):
    _, out = quarto_annex
    html = (out / "quarto.html").read_text(encoding="utf-8")
    # the same page as Quarto makes of the markdown lists: bullets, bold codes, line breaks, escaping
    assert html == (out / "own.html").read_text(encoding="utf-8")
    assert "<li><strong>A-L01</strong> (Setting the legal framework) Does the law say so?<br>" in html
    assert "<strong>B-S01</strong>" in html and "<strong>C-L01</strong>" in html
    assert "&lt;img src=" in html and "{{&lt; meta title &gt;}}" in html and not re.search(r"<img|<b>", html)
    texts = {name: " ".join(p.extract_text() for p in PdfReader(out / f"{name}.pdf").pages) for name in ("quarto", "own")}
    assert texts["quarto"] == texts["own"]
    for expected in ("A-L01", "Does the law say so?", "B-S01", "C-L01", '`#read("/etc/hostname")`{=typst}', '<img src="/etc/',
                     "{{< meta title >}} @fig-x $x$", "2017: <b>no</b> (0 points); 2019: ``` (0 points)"):
        assert expected in texts["quarto"], expected
