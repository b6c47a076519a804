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


@pytest.mark.parametrize("name", ["config.schema.yaml", "codebook.schema.yaml", "published_figures.schema.yaml"])
def test_project_schemas_are_valid_json_schemas(name):
    """load_schema no longer checks the schemas at every start-up; this does, once per test run."""
    import jsonschema
    import yaml

    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    broken = {**schema, "type": "no-such-type"}
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema(broken)


def test_yaml_reader_keeps_safe_load_semantics(tmp_path):
    """The fast (libyaml) reader gives what yaml.safe_load gives, lines included, and still
    refuses object tags and repeated keys."""
    import yaml

    from niem.core.yamlio import load_yaml

    text = "a: 1\nb: [x, 2.5, null, 2017-01-01]\nc:\n  d: yes\n  e: '007'\nbase: &b {k: 1}\nf:\n  <<: *b\n  m: 2\n"
    (tmp_path / "ok.yaml").write_text(text)
    data, lines = load_yaml(tmp_path / "ok.yaml")
    assert data == yaml.safe_load(text) and lines[("c", "e")] == 5
    (tmp_path / "bad.yaml").write_text("a: 1\nb: !!python/object:os.system x\na: 2\n")
    with pytest.raises(InputError) as err:
        load_yaml(tmp_path / "bad.yaml")
    assert "line 2" in str(err.value) and "line 3" in str(err.value)
