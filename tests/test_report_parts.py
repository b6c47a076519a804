"""The report building blocks on small fixtures: formatting, tables, escaping, extracts, templates,
figures and the choice and use of the rendering engine (Quarto: tests/test_quarto_engine.py)."""

import hashlib

import matplotlib
import matplotlib.colors
import matplotlib.text
import numpy as np
import pandas as pd
import pytest
import yaml

from niem.reports import content as rc
from niem.core.errors import InputError
from niem.reports.render import PRINT_FILES, RenderError, choose_engine, pandoc_typst_command, render, source_date_epoch
from niem.reports.extracts import change_extract, position_extract, split_by_country
from niem.reports.assemble import TEMPLATES, fill_template, prepare_workdir

CODEBOOK = {
    "areas": [{"id": "one", "name": "Area one"}],
    "dimensions": [{"id": "alpha", "name": "Alpha", "area": "one", "scored": True},
                   {"id": "beta", "name": "Beta", "area": "one", "scored": True},
                   {"id": "reception", "name": "Reception", "area": "one", "scored": False}],
    "steps": [{"id": "legal", "name": "Setting the legal framework"}, {"id": "policy", "name": "Building the policy framework"}],
}
LABELS = rc.Labels(CODEBOOK, [{"id": "2017", "label": "Baseline"}, {"id": "2019", "label": "E1"},
                              {"id": "2021", "label": "E2"}], {"AA": "Aland", "BB": "Borduria"})


def test_formatting():
    assert rc.fmt_score(36.849) == "36.8" and rc.fmt_score(float("nan")) == rc.NO_SCORE and rc.fmt_score(None) == rc.NO_SCORE
    assert rc.fmt_change(0.04) == "0.0" and rc.fmt_change(-0.04) == "0.0" and rc.fmt_change(1.26) == "+1.3"
    assert rc.fmt_change(-2.0) == "-2.0" and rc.fmt_change(np.nan) == "n/a"
    assert rc.fmt_rank(3.0) == "3" and rc.fmt_rank(11.5) == "11.5"
    assert rc.fmt_interval(-1, 2) == "-1.0 to +2.0" and rc.fmt_interval(None, 2) == "n/a"
    assert rc.headline("37.1", "x-1", table="t", round="2021") == '[37.1]{#x-1 .headline round="2021" table="t"}'


def test_pairs_are_consecutive_then_first_to_last():
    assert LABELS.pairs() == [("2017", "2019"), ("2019", "2021"), ("2017", "2021")]
    two = rc.Labels(CODEBOOK, [{"id": "2019", "label": "a"}, {"id": "2021", "label": "b"}], {})
    assert two.pairs() == [("2019", "2021")]
    assert list(LABELS.dimensions) == ["alpha", "beta"]  # unscored reception left out of score tables


def test_md_table_widths_follow_visible_content():
    long = "x" * 80
    table = rc.md_table([[rc.headline("1.0", "a", table="t"), long]], ["Score", "Text"], ["right", "left"])
    header, separator, row = table.split("\n")
    assert separator == "|" + "-" * 7 + ":|:" + "-" * 41 + "|"  # span markup not counted; text capped at 40
    assert "{#a .headline" in row


def test_bip_statistics_keep_gaps_and_quirks():
    bip = pd.DataFrame([
        {"measure": "number_of_bips", "slot": "2017", "reference_as_printed": "2016", "value_as_printed": "no data",
         "status": "no_data", "basis": "unknown", "qualifier": None, "source": "Office", "note": None},
        {"measure": "number_of_bips", "slot": "2019", "reference_as_printed": "2018", "value_as_printed": "1,234",
         "status": "reported", "basis": "flow", "qualifier": "during 2018", "source": "Office", "note": "*Only refugees"},
        {"measure": "share_of_population", "slot": "2017", "reference_as_printed": "2016",
         "value_as_printed": "less than 0,01%", "status": "upper_bound", "basis": "unknown", "qualifier": None,
         "source": "Office", "note": None},
    ])
    table, notes, sources = rc.bip_statistics_table(bip)
    assert "no data" in table and "less than 0,01%" in rc.visible_text(table)
    assert "1,234 (during 2018; flow)" in rc.visible_text(table)
    assert "| 2016" in table or "2016 |" in table  # the column header as printed (not the slot)
    assert notes == [r"\*Only refugees"]


def test_findings_are_escaped_and_grouped_by_dimension():
    findings = pd.DataFrame([
        {"section": "recommendation", "item": 2, "dimensions": "beta;alpha", "text": "Do <b>this</b> [now](http://x)"},
        {"section": "recommendation", "item": 1, "dimensions": "alpha", "text": "First *thing*"},
        {"section": "recommendation", "item": 3, "dimensions": None, "text": "Untagged"},
        {"section": "conclusion", "item": 1, "dimensions": None, "text": "$1 @me"},
    ])
    groups = rc.recommendations_by_dimension(findings, LABELS)
    assert [g for g, _ in groups] == ["Alpha", "Beta", "Not tagged with a dimension"]
    assert groups[0][1] == [r"First \*thing\*", r"Do \<b\>this\<\/b\> \[now\]\(http\:\/\/x\)"]
    sections = rc.findings_sections(findings, LABELS)
    assert sections["conclusion"] == [r"\$1 \@me"]
    assert sections["recommendation"][0].startswith("**Alpha**: First")


def test_availability_table_counts_per_round_and_kind():
    audit = pd.DataFrame([
        {"round": r, "kind": k, "n_indicators": n, "n_answered": a, "n_no_data": n - a - na, "n_not_applicable": na,
         "n_unanswered": 0}
        for r, k, n, a, na in [("2017", "scored", 10, 8, 0), ("2017", "scored", 10, 9, 1), ("2017", "statistical", 4, 1, 0)]])
    table = rc.availability_table(audit, LABELS)
    lines = table.split("\n")
    assert [c.strip() for c in lines[2].split("|")[1:-1]] == ["2017", "scored", "20", "17", "2", "1", "0", "89%"]
    assert "25%" in lines[3] and "2019" not in table


def _robustness():
    rows = []
    for c, s in [("AA", 50.0), ("BB", 40.0)]:
        rows.append({"country": c, "round": "2021", "level": "overall", "dimension": None, "score_baseline": s,
                     "score_median": s, "score_p05": s - 1, "score_p95": s + 1, "rank_baseline": 1.0 if c == "AA" else 2.0,
                     "rank_median": 1.0, "rank_p05": 1.0, "rank_p95": 2.0, "n_draws": 10})
    rows.append({**rows[0], "level": "dimension", "dimension": "alpha", "score_baseline": np.nan, "rank_baseline": np.nan})
    return pd.DataFrame(rows)


def test_extracts_split_by_country_with_ranked_counts():
    pos = position_extract(_robustness())
    assert pos.loc[pos["level"] == "overall", "n_ranked"].tolist() == [2, 2]
    assert pos.loc[pos["level"] == "dimension", "n_ranked"].tolist() == [0]
    parts = split_by_country(pos, ["BB", "AA", "CC"])
    assert list(parts) == ["BB", "AA", "CC"] and len(parts["AA"]) == 2 and parts["CC"].empty
    change = pd.DataFrame([{"country": "AA", "from_round": "2019", "to_round": "2021", "level": lvl, "dimension": d,
                            "step": None, "score_from": 1.0, "score_to": 2.0, "change": 1.0, "change_class": "stable",
                            "n_common_indicators": 3} for lvl, d in [("overall", None), ("dimension", "alpha"), ("step", "alpha")]])
    intervals = pd.DataFrame([{"country": "AA", "from_round": "2019", "to_round": "2021", "level": "overall",
                               "dimension": None, "change": 0.9, "ci_low": 0.1, "ci_high": 1.7, "n_indicators": 3}])
    out = change_extract(change, intervals)
    assert out["level"].tolist() == ["overall", "dimension"]
    assert out["paired_change"].iloc[0] == 0.9 and np.isnan(out["paired_change"].iloc[1]) and out["n_paired"].tolist() == [3, 0]


def test_template_filling_is_strict_and_quotes_yaml(tmp_path):
    (tmp_path / "t.qmd.j2").write_text('---\ntitle: {{ title | yaml_str }}\n---\n\n[x]{#id .c} {{ body }}\n')
    text = fill_template("t.qmd.j2", {"title": 'Côte "d\'Ivoire": x', "body": "ok"}, tmp_path)
    import yaml

    assert yaml.safe_load(text.split("---")[1])["title"] == 'Côte "d\'Ivoire": x'
    assert "[x]{#id .c} ok" in text  # pandoc attributes are not Jinja comments
    with pytest.raises(Exception, match="body"):
        fill_template("t.qmd.j2", {"title": "x"}, tmp_path)


def test_engine_choice():
    assert choose_engine("auto", which=lambda name: None) == "pandoc"
    assert choose_engine("auto", which=lambda name: "/usr/bin/quarto") == "quarto"
    assert choose_engine("pandoc", which=lambda name: "/usr/bin/quarto") == "pandoc"
    with pytest.raises(RenderError, match="no `quarto` is on PATH"):
        choose_engine("quarto", which=lambda name: None)
    with pytest.raises(ValueError):
        choose_engine("latex")


def test_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch() == 1700000000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date_epoch() == 1640995200
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        source_date_epoch()
    assert "--shift-heading-level-by=-1" in pandoc_typst_command("pandoc", "a.qmd", "a.typ")


QMD = """---
title: "Test report"
format:
  html:
    embed-resources: true
  typst:
    papersize: a4
---

::: {.callout-warning}
## Illustrative {.unlisted .unnumbered}
Synthetic answers.
:::

## Section

Score [42.0]{#headline-x .headline table="t"}.

| A | B |
|:--|--:|
| x | 1.0 |

![A figure. Source: test.](figures/f.png){#fig-f width=50%}
"""


def _work(tmp_path):
    from niem.reports import figures as fg
    import matplotlib.pyplot as plt

    work = prepare_workdir(tmp_path / "work")
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    fg.save_png(fig, work / "figures" / "f.png")
    (work / "t.qmd").write_text(QMD)
    return work


def test_pandoc_engine_renders_html_and_pdf_deterministically(tmp_path):
    import base64

    from pypdf import PdfReader

    work = _work(tmp_path)
    out = tmp_path / "out"
    render(work / "t.qmd", out / "t.html", out / "t.pdf", "pandoc", css="report.css", lua_filter="callout.lua")
    html = (out / "t.html").read_text()
    assert 'id="headline-x"' in html and "data:image/png;base64," in html and "report.css" not in html
    png = base64.b64decode(html.split("data:image/png;base64,")[1].split('"')[0])
    assert png == (work / "figures" / "f.png").read_bytes()
    text = PdfReader(out / "t.pdf").pages[0].extract_text()
    assert "Test report" in text and "42.0" in text
    first = {p: hashlib.sha256((out / p).read_bytes()).hexdigest() for p in ("t.html", "t.pdf")}
    render(work / "t.qmd", out / "t.html", out / "t.pdf", "pandoc", css="report.css", lua_filter="callout.lua")
    assert first == {p: hashlib.sha256((out / p).read_bytes()).hexdigest() for p in ("t.html", "t.pdf")}


def test_print_settings_reach_the_pdf_through_the_print_files_only(tmp_path):
    """One mechanism for both engines: the templates carry no Typst block of their own, and the
    files write_report puts beside the .qmd set the PDF's page (here its running header) and,
    after the body, its Title field, over the bare title the engine's Typst template sets."""
    from pypdf import PdfReader

    for name in ("country.qmd.j2", "comparative.qmd.j2", "qa.qmd.j2"):
        assert "{=typst}" not in (TEMPLATES / name).read_text(), name
    assert pandoc_typst_command("pandoc", "a.qmd", "a.typ", print_settings=True)[-4:] == [
        "--include-in-header", "print.typ", "--include-after-body", "print_title.typ"]
    options = yaml.safe_load((TEMPLATES / "quarto-options.yml").read_text())["format"]["typst"]
    assert (options["include-in-header"], options["include-after-body"]) == tuple(PRINT_FILES)
    work = _work(tmp_path)
    (work / "print.typ").write_text('#set page(header: align(right)[Running header of the test])\n')
    (work / "print_title.typ").write_text('#set document(title: "Test report (illustrative)")\n')
    out = tmp_path / "out"
    render(work / "t.qmd", out / "t.html", out / "t.pdf", "pandoc", print_settings=True)
    pdf = PdfReader(out / "t.pdf")
    assert "Running header of the test" in pdf.pages[0].extract_text()
    assert pdf.metadata["/Title"] == "Test report (illustrative)"
    assert "Running header" not in (out / "t.html").read_text()
    render(work / "t.qmd", out / "t.html", out / "t.pdf", "pandoc")
    assert PdfReader(out / "t.pdf").metadata["/Title"] == "Test report"


def test_pandoc_failure_is_named_and_leaves_no_output(tmp_path):
    work = _work(tmp_path)
    (work / "figures" / "f.png").unlink()  # the PDF engine needs the image
    out = tmp_path / "out"
    with pytest.raises(RenderError, match="typst failed on .*t.typ"):
        render(work / "t.qmd", out / "t.html", out / "t.pdf", "pandoc")
    assert not (out / "t.html").exists() and not (out / "t.pdf").exists()


# The Quarto engine's calls, options and output: tests/test_quarto_engine.py.


def test_figures_are_byte_identical_across_runs(tmp_path):
    from niem.reports import figures as fg

    scores = pd.DataFrame({"round": ["2017", "2021", "2021"], "dimension": ["alpha", "alpha", "beta"],
                           "score": [10.0, 20.0, np.nan]})
    paths = []
    for i in range(2):
        fig = fg.dimension_profile(scores, LABELS.dimensions, ["2017", "2021"], "T")
        fg.save_png(fig, tmp_path / f"{i}.png")
        paths.append((tmp_path / f"{i}.png").read_bytes())
    assert paths[0] == paths[1] and paths[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Software" not in paths[0] and b"matplotlib" not in paths[0]


def test_uncertainty_in_plain_words():
    assert rc.fmt_p(0.0004) == "< 0.001" and rc.fmt_p(0.0) == "< 0.001" and rc.fmt_p(0.0123) == "0.012"
    assert rc.fmt_rank_range(1.0, 1.0) == "rank 1 in every variant"
    assert rc.fmt_rank_range(2.0, 5.0) == "2 to 5"
    assert rc.range_position(72.4, 60.0, 73.0) == "top third"
    assert rc.range_position(60.5, 60.0, 73.0) == "bottom third"
    conv = pd.DataFrame([
        {"from_round": "2017", "to_round": "2021", "level": "overall", "dimension": None, "kind": "sigma",
         "estimate": 1.2, "ci_low": 0.06, "ci_high": 2.277, "p_value": 0.075},
        {"from_round": "2017", "to_round": "2021", "level": "overall", "dimension": None, "kind": "beta",
         "estimate": -0.2, "ci_low": -0.4, "ci_high": -0.01, "p_value": 0.0001}])
    table = rc.convergence_table(conv, LABELS)
    sigma_row = next(line for line in table.splitlines() if "sigma" in line)
    assert "0.075" not in sigma_row and "see below" in sigma_row  # the bootstrap interval's row shows no other test's p
    assert "< 0.001" in table and "0.000" not in table
    assert "p = 0.075 for 2017 to 2021" in rc.sigma_tests_text(conv)


def test_heatmap_labels_contrast_and_print_size():
    """Every cell label of the heatmap reaches 4.5:1 against its cell, and no text in a figure is
    below 7 pt at the printed width (figures are drawn at the A4 text width)."""
    from niem.reports import figures as fg

    matrix = pd.DataFrame(np.linspace(0, 100, 40).reshape(4, 10), index=list("ABCD"), columns=[f"c{i}" for i in range(10)])
    fig = fg.heatmap(matrix, "T", "Score")
    ax = fig.axes[0]
    cmap = matplotlib.colormaps[fg.SEQUENTIAL]
    labels = [t for t in ax.texts if t.get_text() not in ("-",)]
    assert len(labels) == 40
    for text in labels:
        value = float(text.get_text())
        assert fg.contrast_ratio(cmap(value / 100), matplotlib.colors.to_rgb(text.get_color())) >= 4.5, value
    assert fig.get_figwidth() <= fg.WIDTH
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert min(sizes) >= 7, min(sizes)


def test_small_multiples_share_their_x_scale():
    from niem.reports import figures as fg

    frame = pd.DataFrame({"label": ["a", "b", "a", "b"], "v": [1.0, 2.0, -8.0, 9.0], "lo": [0.0, 1.0, -9.0, 8.0],
                          "hi": [2.0, 3.0, -7.0, 10.0], "p": ["x", "x", "y", "y"]})
    fig = fg.interval_plot(frame, "label", "v", "lo", "hi", "p", ["x", "y"], "T", "X")
    assert len({ax.get_xlim() for ax in fig.axes}) == 1
    assert all(fig.findobj(matplotlib.text.Text)) and not any("Source" in t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_qa_annexes_print_names_as_text():
    """Names enter the QA annexes escaped, like every other report: under Quarto raw HTML in the
    markdown is live (a country name with <img src="/local/file"> had Quarto embed that file)."""
    from niem.reports.assemble import qa_context, qa_summary_context

    hostile = 'Aland<img src="/tmp/x">'
    labels = rc.Labels(CODEBOOK, [{"id": "2021", "label": "E2"}], {"AA": hostile})
    item = {"country": "AA", "round": "2021", "indicator_id": "A-L01", "issue_code": "no_source", "answer": "yes",
            "file": "raw/evidence/2021/AA.csv", "line": 3, "status": "open"}
    country = qa_context([item], labels, "AA", [])
    summary = qa_summary_context(pd.DataFrame([{"country": "AA", "round": "2021", "issue_code": "no_source",
                                                "n_items": 1, "n_resolved": 0}]), labels, [])
    for text in (country["title"], country["scope"], country["pagetitle"], summary["counts_table"]):
        assert '<img src="/tmp/x">' not in text and "Aland\\<img" in text, text


def test_qa_count_tables_keep_issue_counts_in_one_column():
    """Counts per issue code in one text cell (four columns however many codes), totals beside it."""
    labels = rc.Labels({"areas": [], "dimensions": [], "steps": []}, [{"id": r, "label": r} for r in ("2019", "2021")],
                       {"BG": "Bulgaria"})
    items = [{"round": "2019", "issue_code": code, "status": status, "indicator_id": "X", "file": "f", "line": 1,
              "answer": "a"} for code, status in [("no_source", "open"), ("no_source", "open"),
                                                   ("changed_without_note", "reopened"), ("no_source", "resolved")]]
    items[-1]["confirmation"] = {"response": "confirm as is", "by": "A. Researcher", "date": "2021-05-01", "text": ""}
    counts = rc.clarification_tables(items, labels)[0].split("\n")
    assert [c.strip() for c in counts[0].strip("|").split("|")] == ["Round", "Open total", "Resolved", "Open items by issue"]
    assert [c.strip() for c in counts[2].strip("|").split("|")] == ["2019", "3", "1", rc.markdown_text("changed_without_note 1; no_source 2")]
    assert [c.strip() for c in counts[3].strip("|").split("|")] == ["2021", "0", "0", "none"]


def test_pdf_title_and_running_header_show_names_as_written(tmp_path):
    """The print files are Typst, not markdown: a name with markdown and Typst punctuation, quotes
    and a line separator shows as written in the Title field, the Subject and the running header."""
    from pypdf import PdfReader

    from niem.reports.assemble import PRINT_FILES, running_head

    name = 'Côte d\'Ivoire (test) "A_B" #x [y] \\z\u2028end'
    labels = rc.Labels({"areas": [], "dimensions": [], "steps": []}, [{"id": "2019", "label": "2019"}], {"XX": name})
    context = {"running": running_head(name, labels), "pdf_title": f"{name}: scores (illustrative)"}
    work = _work(tmp_path)
    for file in PRINT_FILES:
        (work / file).write_text(fill_template(f"{file}.j2", context), encoding="utf-8")
    out = tmp_path / "out"
    render(work / "t.qmd", out / "t.html", out / "t.pdf", "pandoc", print_settings=True)
    pdf = PdfReader(out / "t.pdf")
    assert pdf.metadata["/Title"] == f"{name}: scores (illustrative)"
    assert pdf.metadata["/Subject"] == context["running"]
    assert 'Côte d\'Ivoire (test) "A_B" #x [y] \\z' in pdf.pages[0].extract_text()
