"""The comparative report's annex on the register (issue 16): printed figures and derived checks in
two separately named tables, each printed figure with its source address and its words as printed,
and no register codes (dimension ids, True/False) in reader's text."""

import re
from pathlib import Path

import pandas as pd
import pytest

from niem.analysis.published import load_register, evaluate
from niem.reports.assemble import fill_template
from niem.reports.content import Labels
from niem.reports.register import annex_context, plain

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\bTrue\b|\bFalse\b")


@pytest.fixture(scope="module")
def labels():
    import yaml

    cb = yaml.safe_load((ROOT / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    steps = [{"id": s["id"], "name": s["name"]} for s in cb["steps"]]
    return Labels({"areas": cb["areas"], "dimensions": cb["dimensions"], "steps": steps}, cfg["rounds"],
                  {c["code"]: c["name"] for c in cfg["countries"]})


@pytest.fixture(scope="module")
def check():
    """The register evaluated without results (out of scope): every row 'not computed', same columns."""
    figures, scope = load_register(ROOT / "config" / "published_figures.yaml")
    return pd.DataFrame(evaluate(figures, _NoResults(), {"countries": ["XX"], "rounds": ["1900"]}))


class _NoResults:
    from niem.inputs.codebook import load_codebook

    overall = pd.DataFrame({"country": ["BG"], "round": ["2021"]})
    codebook = load_codebook(ROOT / "config" / "codebook.yaml")


def test_plain_writes_codes_out(labels):
    assert plain("language_learning", labels) == labels.dimensions["language_learning"]
    assert plain(True, labels) == "yes" and plain("False", labels) == "no"
    assert plain("public_spending 0.19, staff_resources 0.21", labels) == "public spending 0.19, staff resources 0.21"
    assert plain("implementation", labels) == labels.steps["implementation"]
    assert "Sweden" in plain("SE", labels)


def test_annex_has_two_named_tables_without_codes(check, labels):
    ctx = annex_context(check, labels)
    qmd = fill_template("sections/published_annex.qmd.j2", {"register": ctx})
    assert "### Printed figures" in qmd and "### Derived checks" in qmd
    assert "{#tbl-printed-figures}" in qmd and "{#tbl-derived-checks}" in qmd
    tables = ctx["printed_table"] + ctx["derived_table"] + ctx["not_checkable_table"]
    tables = re.sub(r"https?\\?:\S+", "", tables)   # web addresses may hold underscores
    assert not CODE.findall(tables.replace("\\_", "_")), sorted(set(CODE.findall(tables.replace("\\_", "_"))))
    # each printed figure: its source address and its words as printed
    printed = check[check["category"] == "published"]
    body = ctx["printed_table"].replace("\\", "")
    for row in printed.itertuples():
        where = row.source_url if isinstance(row.source_url, str) else row.source
        assert where in body, row.figure_id
        if isinstance(row.as_printed, str):
            assert row.as_printed in body, row.figure_id
    # derived checks are not among the printed figures
    for row in check[check["category"] == "derived"].itertuples():
        assert row.statement.replace("'", "") not in body.replace("'", ""), row.figure_id
    # out of scope: only the instrument checks (indicator counts) are computed
    assert ctx["n_printed"] < len(printed) and ctx["n_not_checkable"] >= 2


def test_comparative_template_includes_the_annex_at_the_end():
    text = (ROOT / "workflow" / "report" / "comparative.qmd.j2").read_text(encoding="utf-8")
    assert text.rstrip().endswith('{% include "sections/published_annex.qmd.j2" %}')
    assert "published_table" not in text


def test_report_rule_tracks_the_partials():
    smk = (ROOT / "workflow" / "rules" / "reports.smk").read_text(encoding="utf-8")
    assert '"workflow", "report", "sections"' in smk
