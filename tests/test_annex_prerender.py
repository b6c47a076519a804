"""The country annex's indicator lists rendered ahead of Quarto (niem/reports/assemble.py:
prerendered_lists): joined with a separator paragraph, one pandoc call per format, split back
into exactly the parts sent, carried as raw HTML and Typst blocks in the .qmd given to Quarto;
the pandoc engine's .qmd keeps the markdown lists as they were. With a real Quarto:
tests/test_quarto_engine.py."""

import os
import subprocess

import pytest

from niem.core.safety import markdown_text
from niem.reports import render as rd
from niem.reports.assemble import bullet_list, fill_template, prepare_workdir, prerendered_lists, write_report
from niem.reports.narrative import evidence_list
from niem.reports.render import (RenderError, join_fragments, pandoc_binary, raw_block, render_fragments,
                                 separator_word, split_fragments)
from test_quarto_engine import _fake_quarto

ANNEX = "sections/country_annex_indicators.qmd.j2"
ROUNDS = ["2017", "2019"]
STEPS = {"legal": "Setting the legal framework"}
HOSTILE = 'Housing `#read("/etc/hostname")`{=typst} <img src="/etc/hostname"> {{< meta title >}} @fig-x $x$'


def _row(ident, question, answers, kind="scored"):
    return {"id": ident, "step": "legal" if kind == "scored" else None, "kind": kind, "question": question,
            "rounds": dict(zip(ROUNDS, answers))}


def annex_lists() -> list[list[str]]:
    """Three dimensions' items as the report builds them (escaped by evidence_list)."""
    return [evidence_list([_row("A-L01", "Does the law say so?", [("Yes", 100), ("No", 0)]),
                           _row("A-L02", HOSTILE, [("<b>no</b>", 0), ("```", 0)])], ROUNDS, STEPS),
            evidence_list([_row("B-S01", "How many?", [("12", None), ("no data", None)], kind="statistical")],
                          ROUNDS, STEPS),
            evidence_list([_row("C-L01", "Anything *else*?", [("Partly", 50), ("Partly", 50)])], ROUNDS, STEPS)]


def context(lists=None) -> dict:
    lists = annex_lists() if lists is None else lists
    return {"evidence_tables": [(markdown_text(name), items) for name, items in zip(["Alpha", "Beta", "Gamma"], lists)],
            "running": "Test report", "pdf_title": "Test report"}


def test_separator_word_is_in_none_of_the_parts():
    assert separator_word("plain text") == "NIEMFRAGMENTBREAK"
    assert separator_word("a NIEMFRAGMENTBREAK b NIEMFRAGMENTBREAK1") == "NIEMFRAGMENTBREAK2"
    word = separator_word("\n".join(bullet_list(items) for items in annex_lists()))
    assert word.isalnum() and all(word not in bullet_list(items) for items in annex_lists())


@pytest.mark.parametrize("fmt, rendered", [
    ("html", "<ul>\n<li>a</li>\n</ul>\n<p>SEP</p>\n<ul>\n<li>b<br />\nc</li>\n</ul>\n<p>SEP</p>\n\n"),
    ("typst", "- a\n\nSEP\n\n- b \\\n  c\n\nSEP\n\n"),
])
def test_split_fragments_gives_back_exactly_the_parts_sent(fmt, rendered):
    parts = split_fragments(rendered, "SEP", fmt, 3)
    assert parts[0] == ("<ul>\n<li>a</li>\n</ul>" if fmt == "html" else "- a")
    assert parts[1] == ("<ul>\n<li>b<br />\nc</li>\n</ul>" if fmt == "html" else "- b \\\n  c") and parts[2] == ""
    with pytest.raises(RenderError, match=f"pandoc \\({fmt} fragments\\) gave 3 parts where 4 were sent"):
        split_fragments(rendered, "SEP", fmt, 4)  # a separator lost
    with pytest.raises(RenderError, match="gave 3 parts where 2 were sent"):
        split_fragments(rendered, "SEP", fmt, 2)  # one too many
    # the word inside a part's text is no separator: only the separator paragraph's own line is
    assert len(split_fragments(rendered.replace("- a", "- a SEP").replace("<li>a", "<li>a SEP"), "SEP", fmt, 3)) == 3


def test_raw_block_fence_outlasts_the_backticks_of_its_text():
    text = "<ul>\n<li>```</li>\n<li>`````x</li>\n</ul>"
    block = raw_block(text, "html")
    assert block.startswith("``````{=html}\n") and block.endswith("\n``````")
    assert raw_block("- a", "typst") == "```{=typst}\n- a\n```"
    # pandoc reads the block back as that raw text, passed through to HTML as it is
    out = subprocess.run([pandoc_binary(), "--from", rd.PANDOC_FROM, "--to", "html5"], input=block + "\n\nafter\n",
                         capture_output=True, text=True, check=True).stdout
    assert out == text + "\n<p>after</p>\n"


def test_one_pandoc_call_per_format_for_all_the_lists(tmp_path, monkeypatch):
    calls = []

    def counting_run(cmd, cwd, what, stdin=None):
        assert cmd[cmd.index("--from") + 1] == rd.PANDOC_FROM  # read as the pandoc engine reads a .qmd
        calls.append(cmd[cmd.index("--to") + 1])
        return real_run(cmd, cwd, what, stdin)

    real_run = rd._run
    monkeypatch.setattr(rd, "_run", counting_run)
    lists = annex_lists() * 4  # twelve dimensions, as in a country report
    blocks = prerendered_lists(lists, tmp_path)
    assert calls == ["html5", "typst"] and len(blocks) == 12
    calls.clear()
    assert len(prerendered_lists(lists, tmp_path, pdf=False)) == 12 and calls == ["html5"]


@pytest.mark.parametrize("fmt", ["html", "typst"])
def test_each_part_is_what_pandoc_makes_of_that_list_alone(tmp_path, fmt):
    lists = annex_lists()
    parts = render_fragments([bullet_list(items) for items in lists], fmt, tmp_path)
    for items, part in zip(lists, parts):
        alone = subprocess.run([pandoc_binary(), "--from", rd.PANDOC_FROM, "--to", rd.FRAGMENT_WRITERS[fmt], "--wrap=none"],
                               input=bullet_list(items), capture_output=True, text=True, check=True).stdout
        assert part == alone.strip("\n")
    first = parts[0]
    if fmt == "html":  # bold codes, line breaks, and hostile text as text
        assert first.startswith("<ul>\n<li><strong>A-L01</strong> (Setting the legal framework) Does the law say so?<br />")
        assert "&lt;img src=&quot;/etc/hostname&quot;&gt;" in first or '&lt;img src="/etc/hostname"&gt;' in first
        assert "<img" not in first and "<b>" not in first and "{{&lt; meta title &gt;}}" in first
    else:
        assert first.startswith("- #strong[A-L01] (Setting the legal framework) Does the law say so? \\\n  2017: Yes")
        assert "\\#read" in first and "#read" not in first.replace("\\#read", "")


def test_prerendered_lists_are_deterministic(tmp_path):
    assert prerendered_lists(annex_lists(), tmp_path) == prerendered_lists(annex_lists(), tmp_path)


def test_pandoc_engine_annex_keeps_its_markdown_lists_byte_for_byte():
    ctx = {"evidence_tables": [("Alpha", ["**A\\-L01** Question\\?  \n2017: Yes (100 points)", "**A\\-L02** Q2"]),
                               ("Empty", []), ("Beta", ["**B\\-L01** Q"])]}
    qmd = fill_template(ANNEX, ctx)
    # what the template wrote before the lists were pre-rendered for Quarto (a list item a line,
    # a blank line after each list, an empty list leaving its heading alone)
    assert qmd.endswith("the indicator scores of this pipeline.\n\n### Alpha\n\n"
                        "- **A\\-L01** Question\\?  \n2017: Yes (100 points)\n- **A\\-L02** Q2\n\n"
                        "### Empty\n\n\n### Beta\n\n- **B\\-L01** Q\n\n")
    assert "```" not in qmd


def test_quarto_annex_has_raw_blocks_under_markdown_headings(tmp_path):
    lists = annex_lists()
    qmd = fill_template(ANNEX, {**context(lists), "evidence_blocks": prerendered_lists(lists, tmp_path)})
    body = qmd.split("the indicator scores of this pipeline.\n\n", 1)[1]
    sections = body.split("### ")[1:]
    assert [s.split("\n", 1)[0] for s in sections] == ["Alpha", "Beta", "Gamma"]
    for section in sections:
        assert section.count("```{=html}\n<ul>\n") == 1 and section.count("```{=typst}\n- #strong[") == 1
        assert "\n- **" not in section  # no markdown list left for Quarto's filters


def test_write_report_gives_quarto_raw_blocks_and_pandoc_markdown_lists(tmp_path, monkeypatch):
    bin_dir = _fake_quarto(tmp_path / "bin", 'echo "<html>q</html>" > annex.html; printf "%%PDF-q" > annex.pdf\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    qmds = {}
    for engine in ("quarto", "pandoc"):
        work = prepare_workdir(tmp_path / engine)
        write_report(ANNEX, context(), work / "annex.qmd", str(tmp_path / engine / "out.html"),
                     str(tmp_path / engine / "out.pdf"), engine)
        qmds[engine] = (work / "annex.qmd").read_text(encoding="utf-8")
    assert qmds["quarto"].count("```{=html}") == 3 and qmds["quarto"].count("```{=typst}") == 3
    assert "- **A\\-L01**" not in qmds["quarto"]
    assert "```" not in qmds["pandoc"] and qmds["pandoc"] == fill_template(ANNEX, context())
    assert "- **A\\-L01** (Setting the legal framework) Does the law say so\\?  \n2017: Yes (100 points)" in qmds["pandoc"]
