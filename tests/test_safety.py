"""Free text from raw files cannot inject markup into HTML or Typst reports, nor formulas into
spreadsheets; YAML is only ever loaded safely; every output is written atomically."""

import csv
import html
import io
import re
import subprocess

import pytest

from conftest import ROOT
from niem.core.safety import csv_safe, csv_text, markdown_text

pypandoc = pytest.importorskip("pypandoc")
PANDOC = pypandoc.get_pandoc_path()

HOSTILE = [
    "<script>alert('x')</script>",
    "*x* _y_ **bold** ~~gone~~ ~sub~ ^sup^",
    "[a](http://example.org) ![img](x.png) <http://example.org>",
    "$x^2$ and $$y$$ cost 50% of €3",
    "@cite and [@doe2020, p. 3]",
    "{{< include _secret.qmd >}} {{< meta title >}}",
    "# Heading",
    "1. not a list",
    "- not a bullet",
    "<b>raw html</b> &amp; &lt;",
    "`#x`{=typst} ```{=html}",
    "#set page(fill: red) #let x = 1 #eval(\"1+1\")",
    "| a | b | <!-- comment -->",
    "back\\slash\\ at end\\",
    "=HYPERLINK(\"http://x\",\"y\") 'quoted' \"double\" a -- b --- c",
]


def pandoc(markdown, to):
    return subprocess.run([PANDOC, "-f", "markdown", "-t", to], input=markdown, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_is_literal_in_html(text):
    out = pandoc(markdown_text(text), "html").strip()
    assert out.startswith("<p>") and out.endswith("</p>") and out.count("<") == 2, out  # one paragraph, no other element
    assert html.unescape(out[3:-4]) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_is_literal_in_typst(text):
    typst_source = pandoc(markdown_text(text), "typst")
    typst = pytest.importorskip("typst")
    pypdf = pytest.importorskip("pypdf")
    pdf = typst.compile(typst_source.encode("utf-8"))  # markup would run here (e.g. #set page) or fail to compile
    shown = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # Typst typesets --, --- and straight quotes as dashes and curly quotes; the characters are all there
    typeset = {"—": "---", "–": "--", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}
    shown = re.sub("|".join(typeset), lambda m: typeset[m.group(0)], shown)
    assert " ".join(shown.split()) == " ".join(text.split())


def test_markdown_text_normalises_newlines_and_controls():
    assert markdown_text("line one\r\nline two\rthree\n\n  four\u2028five") == "line one line two three four five"
    assert markdown_text("  a\x00b\x1bc\t ") == "abc"
    assert markdown_text(None) == ""
    assert "{{<" not in markdown_text("{{< include x.qmd >}}")  # Quarto expands shortcodes before pandoc runs
    assert markdown_text("\n# heading\n=====") == "\\# heading \\=\\=\\=\\=\\="
    assert pandoc(markdown_text("a\n\n    code block?\n---\n* item"), "html").count("<p>") == 1


def test_csv_safe():
    assert csv_safe('=HYPERLINK("http://evil.example","click")') == '\'=HYPERLINK("http://evil.example","click")'
    for text in ("+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1+1"):
        assert csv_safe(text) == "'" + text
    for value in ("-5", "+3.5", "Law 12/2016", "", 7, 2.5, None):
        assert csv_safe(value) == value


def test_csv_export_defuses_formulas():
    rows = [{"note": '=HYPERLINK("http://evil.example","click")', "answer": "-5", "line": 12}]
    text = csv_text(["note", "answer", "line"], rows)
    assert text.startswith("\ufeffnote,answer,line\n")
    (row,) = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row == {"note": '\'=HYPERLINK("http://evil.example","click")', "answer": "-5", "line": "12"}


CODE = [p for d in ("niem", "scripts", "workflow") for p in (ROOT / d).rglob("*") if p.suffix in (".py", ".smk")] + [ROOT / "Snakefile"]


def test_yaml_is_loaded_safely_everywhere():
    unsafe = re.compile(r"yaml\.(load|full_load|unsafe_load|load_all)\(|Loader=yaml\.(Loader|FullLoader|UnsafeLoader)|^\s*configfile:", re.M)
    hits = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in CODE for m in unsafe.finditer(p.read_text(encoding="utf-8"))
            if not re.match(r"yaml\.load\([^()\n]*, Loader=(yaml\.SafeLoader|FAST_SAFE_LOADER)\)", m.string[m.start():m.start() + 80])]
    assert not hits
    # the fast loader is libyaml's safe one: safe_load's constructor, none that builds objects
    from niem.core.yamlio import FAST_SAFE_LOADER
    import yaml

    assert FAST_SAFE_LOADER.yaml_constructors is yaml.constructor.SafeConstructor.yaml_constructors
    assert not issubclass(FAST_SAFE_LOADER, (yaml.constructor.FullConstructor, yaml.constructor.UnsafeConstructor))


def test_every_output_is_written_atomically():
    """Files are written only to the temporary path of niem.core.io.atomic_path (named ``tmp``)."""
    write = re.compile(r"(\.to_parquet\(|\.to_csv\(|write_table\(|\.write_text\(|\.write_bytes\(|open\([^)]*['\"][wax]b?['\"])")
    hits = []
    for p in CODE:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if write.search(line) and "tmp" not in line and not re.search(r"\bwrite_table\(\"|\bwrite_table\(name|def write_table", line):
                hits.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not hits, "\n".join(hits)


def test_temporary_file_of_a_dead_writer_is_removed_even_if_it_is_a_zombie(tmp_path):
    """A writer killed together with its parent can stay a zombie (its PID still 'exists'); its
    temporary file must still be cleared by the next write of the same path."""
    import os
    import time
    from pathlib import Path

    from niem.core.io import write_text

    child = subprocess.Popen(["true"])  # exits at once; not waited for, so it stays a zombie
    for _ in range(200):
        if Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.01)
    stale = tmp_path / f".table.parquet.tmp-{child.pid}"
    stale.write_bytes(b"half")
    alive = tmp_path / f".table.parquet.tmp-{os.getpid()}x"  # not a PID: left alone
    alive.write_bytes(b"other")
    write_text(tmp_path / "table.parquet", "new")
    child.wait()
    assert not stale.exists() and alive.exists()
    assert (tmp_path / "table.parquet").read_text() == "new"


@pytest.mark.parametrize("text", HOSTILE + ['Bulgaria<img src="/etc/hostname"><script>alert(1)</script>', "a\u2028b\u0085c"])
def test_yaml_string_title_is_literal(text):
    """A name in the front matter (yaml_string of markdown_text) is the title, as text, in HTML."""
    from niem.core.safety import yaml_string

    doc = f"---\ntitle: {yaml_string(markdown_text(text))}\n---\n\nbody\n"
    out = subprocess.run([PANDOC, "-f", "markdown", "-t", "html", "--standalone"], input=doc,
                         capture_output=True, text=True, check=True).stdout
    title = re.search(r'<h1 class="title">(.*?)</h1>', out, re.S).group(1)
    assert "<" not in title  # no element inside the title
    assert " ".join(html.unescape(title).split()) == " ".join(text.replace("\u2028", " ").replace("\u0085", " ").split())


def test_report_labels_are_escaped_once():
    from niem.reports.content import Labels

    codebook = {"areas": [{"id": "a", "name": "A <b>"}], "steps": [{"id": "legal", "name": "Legal & *x*"}],
                "dimensions": [{"id": "d", "name": "`#read(\"/etc/passwd\")`{=typst}", "area": "a", "scored": True}]}
    labels = Labels(codebook, [{"id": "2021", "label": "$x$"}], {"BG": "Bulgaria<script>"})
    md = labels.for_markdown()
    assert md.countries["BG"] == markdown_text("Bulgaria<script>") and labels.countries["BG"] == "Bulgaria<script>"
    assert md.dimensions["d"] == md.all_dimensions["d"] == markdown_text(codebook["dimensions"][0]["name"])
    assert md.round_labels["2021"] == "\\$x\\$" and md.steps["legal"] == markdown_text("Legal & *x*")
    assert md.areas["a"] == "A \\<b\\>"
