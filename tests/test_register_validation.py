"""The register of published figures (config/published_figures.yaml) is validated like the other
config files: each defect is one problem naming the file, the line and the field, and nothing
is recomputed from a register with a defect."""

import re

import pytest

from conftest import ROOT
from niem.analysis.published import CHECKS, check_parameters, load_register
from niem.core.errors import InputError

REGISTER = (ROOT / "config" / "published_figures.yaml").read_text(encoding="utf-8")
SE_ENTRY = "{id: e2-overall-SE, statement: \"Sweden scored 72.5 out of 100 (Evaluation 2)\", source: *e2, published: 72.5, tolerance: 1.0, check: {type: overall_score, country: SE, round: \"2021\"}}"


def problems_of(tmp_path, old, new, count=1):
    assert REGISTER.count(old) >= count, old
    text = REGISTER.replace(old, new, count)
    path = tmp_path / "published_figures.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_register(path)
    assert str(path) in str(err.value)
    return text, err.value.problems


def line_of(text, fragment):
    return text[: text.index(fragment)].count("\n") + 1


def test_shipped_register_is_valid():
    figures, scope = load_register(ROOT / "config" / "published_figures.yaml")
    assert len(figures) >= 100 and scope["rounds"] == ["2017", "2019", "2021"]


def test_every_check_type_has_its_parameters_listed():
    """check_parameters reads the check functions' signatures: every type takes a round or a
    from/to pair, and none lists the results, published value or tolerance as a parameter."""
    for kind in CHECKS:
        required, optional = check_parameters(kind)
        assert not {"R", "published", "tolerance"} & set(required + optional), kind
        assert "round" in required or {"from_round", "to_round"} <= set(required), kind


@pytest.mark.parametrize("old, new, field, words", [
    # a typing slip in the check type: named, with the closest known type
    ("type: overall_score, country: SE", "type: overall_scor, country: SE", "check.type", ["unknown check type 'overall_scor'", "did you mean 'overall_score'"]),
    # a parameter the check type does not take, and a missing one
    ("type: overall_score, country: SE, round", "type: overall_score, round", "check", ["needs 'country'"]),
    ("check: {type: overall_score, country: SE, round: \"2021\"}", "check: {type: overall_score, country: SE, round: \"2021\", dimension: housing}", "check.dimension", ["takes no 'dimension'"]),
    # a country or round outside the register's scope
    ("type: overall_score, country: SE, round: \"2021\"", "type: overall_score, country: UK, round: \"2021\"", "check.country", ["'UK' is not one of the register's scope.countries"]),
    ("type: overall_score, country: SE, round: \"2021\"", "type: overall_score, country: SE, round: \"2020\"", "check.round", ["'2020' is not one of the register's scope.rounds"]),
    # numbers: NaN passes any bound of a schema, so it is refused on its own
    ("published: 72.5, tolerance: 1.0", "published: .nan, tolerance: 1.0", "published", ["not a finite number"]),
    ("published: 72.5, tolerance: 1.0", "published: 72.5, tolerance: -1.0", "tolerance", ["less than the minimum of 0"]),
    # an unknown key (a misspelt 'published' would otherwise make the entry silently unchecked)
    ("published: 72.5, tolerance: 1.0", "publised: 72.5, tolerance: 1.0", "publised", ["unknown key 'publised'"]),
    ("published: 72.5, tolerance: 1.0, check", "tolerance: 1.0, check", "", ["missing key 'published'"]),
    ("id: e2-overall-SE, statement", "id: e2-overall-SE, category: unchecked, statement", "category", ["'unchecked' is not one of"]),
])
def test_register_defect_names_line_and_field(tmp_path, old, new, field, words):
    text, problems = problems_of(tmp_path, SE_ENTRY, SE_ENTRY.replace(old, new))
    (problem,) = problems
    index = REGISTER.index(SE_ENTRY)
    entry = re.search(r"figures\[(\d+)\]", problem.field)
    assert entry and int(entry.group(1)) == REGISTER[:index].count("\n  - {id:"), problem
    assert problem.field == f"figures[{entry.group(1)}]" + (f".{field}" if field else ""), problem
    assert problem.line == line_of(text, SE_ENTRY.replace(old, new)), problem
    for word in words:
        assert word in problem.message, problem.message


def test_duplicate_ids_and_not_checkable_entries(tmp_path):
    text, problems = problems_of(tmp_path, "id: e2-overall-FR,", "id: e2-overall-SE,")
    (problem,) = problems
    assert "'e2-overall-SE' is used twice (also at line" in problem.message and problem.field.endswith(".id")
    assert problem.line == line_of(text, "id: e2-overall-SE, statement: \"France")
    first = re.search(r"also at line (\d+)", problem.message).group(1)
    assert int(first) == line_of(text, SE_ENTRY)

    unchecked = SE_ENTRY.replace("id: e2-overall-SE,", "id: e2-overall-SE, category: not_checkable,")
    _, problems = problems_of(tmp_path, SE_ENTRY, unchecked)
    assert len(problems) == 2 and {p.field.rpartition("]")[2] for p in problems} == {"", ".check"}
    assert any("needs a reason" in p.message for p in problems) and any("has no check" in p.message for p in problems)

    # a misspelt parameter: both halves named, what is missing and what is not taken
    _, problems = problems_of(tmp_path, SE_ENTRY, SE_ENTRY.replace("country: SE", "countri: SE"))
    assert sorted(p.field.rpartition("]")[2] for p in problems) == [".check", ".check.countri"]


def test_block_style_entry_names_the_line_of_the_key(tmp_path):
    """In a block-style entry each key has its own line: the problem names that line, not the entry's."""
    entry = ("  - id: block-entry\n    statement: \"A block-style entry\"\n    source: \"a source\"\n"
             "    published: 1\n    check:\n      type: overall_rank\n      country: SE\n      round: \"2021\"\n"
             "      dimension: housing\n")
    path = tmp_path / "published_figures.yaml"
    path.write_text(REGISTER + entry, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_register(path)
    (problem,) = err.value.problems
    assert problem.field.endswith(".check.dimension") and "takes no 'dimension'" in problem.message
    assert problem.line == (REGISTER + entry).count("\n"), problem
