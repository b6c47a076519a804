"""The shipped codebook and config load; malformed ones fail with file, line and field."""

import pytest

from conftest import ROOT
from niem.inputs.codebook import load_codebook
from niem.inputs.config import load_config
from niem.core.errors import InputError


def test_shipped_codebook_structure():
    cb = load_codebook(ROOT / "config" / "codebook.yaml")
    assert len(cb.scored_dimensions) == 12 and len(cb.steps) == 3 and len(cb.areas) == 4
    for round_id, total in (("2017", 186), ("2019", 173), ("2021", 168)):
        inds = cb.in_round(round_id)
        assert len(inds) == total
        assert sum(i.kind == "scored" for i in inds) == 120
    # every dimension x step cell has a numeric scored indicator and at least 3 indicators
    for dim in cb.scored_dimensions:
        for step in cb.step_ids:
            cell = [i for i in cb.in_round("2021") if i.dimension == dim and i.step == step]
            assert len(cell) >= 3 and any(i.numeric for i in cell)


def test_shipped_config_loads():
    cfg = load_config(ROOT / "config" / "config.yaml")
    assert len(cfg["countries"]) == 14 and [r["id"] for r in cfg["rounds"]] == ["2017", "2019", "2021"]


def test_codebook_error_names_line_and_field(tmp_path):
    text = (ROOT / "config" / "codebook.yaml").read_text(encoding="utf-8")
    bad = text.replace("dimension: housing\n", "dimension: housng\n", 1)
    line = bad[: bad.index("dimension: housng")].count("\n") + 1
    path = tmp_path / "codebook.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_codebook(path)
    (problem,) = err.value.problems
    assert problem.line == line and problem.field.endswith(".dimension") and "housng" in problem.message


def test_config_error_names_line_and_field(tmp_path):
    text = (ROOT / "config" / "config.yaml").read_text(encoding="utf-8").replace("{code: BG,", "{code: bg,")
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_config(path)
    problem = err.value.problems[0]
    assert problem.field == "countries[0].code" and problem.line == text[: text.index("code: bg")].count("\n") + 1
    assert str(path) in str(err.value)
