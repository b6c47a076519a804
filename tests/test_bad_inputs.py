"""The catalogue of bad inputs (tests/bad_inputs/cases.yaml): every case gives exactly the
problems listed there, each naming file, line and field, all in one InputError."""

from pathlib import Path

import pytest
import yaml

from conftest import tiny_codebook_data
from niem.inputs.codebook import build_codebook, load_codebook
from niem.inputs.config import load_config
from niem.core.errors import InputError, raise_if
from niem.inputs.evidence import read_evidence
from niem.inputs.rawfiles import COUNTRY_FILES, raw_file_problems

HERE = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
TINY = build_codebook(tiny_codebook_data())


def check(problems, expect, file):
    got = [(p.line, p.field, p.message) for p in sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))]
    assert len(got) == len(expect), "\n".join(map(str, got))
    for (line, field, message), (want_line, want_field, fragment) in zip(got, expect):
        assert (line, field) == (want_line, want_field), f"{file}: got line {line}, field {field}: {message}"
        assert fragment in message, f"{file}: {message!r} lacks {fragment!r}"
    if expect:
        with pytest.raises(InputError) as err:
            raise_if(problems)
        text = str(err.value)
        assert text.startswith(f"Invalid input in {file} ({len(expect)} problem")
        assert all(fragment in text for *_, fragment in expect)


def ids(section):
    return [c.get("file") or c["name"] for c in CASES[section]]


def test_catalogue_covers_enough_cases():
    bad = sum(1 for section in ("evidence", "config", "codebook", "raw") for c in CASES[section] if c["expect"])
    assert bad >= 40
    listed = {f"{s}/{c['file']}" for s in ("evidence", "config", "codebook") for c in CASES[s]}
    on_disk = {f"{p.parent.name}/{p.name}" for p in HERE.glob("*/*") if p.suffix in (".csv", ".yaml")}
    assert listed == on_disk, "every file in tests/bad_inputs/ is a catalogued case"


@pytest.mark.parametrize("case", CASES["evidence"], ids=ids("evidence"))
def test_evidence_case(case):
    path = HERE / "evidence" / case["file"]
    _, answers, problems = read_evidence(path, TINY, "2019", display=case["file"])
    assert all(p.file == case["file"] for p in problems)
    check(problems, case["expect"], case["file"])
    if "answers" in case:
        assert len(answers) == case["answers"]


def _problems_of(loader, path):
    try:
        loader(path)
    except InputError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize("case", CASES["config"], ids=ids("config"))
def test_config_case(case):
    path = HERE / "config" / case["file"]
    check(_problems_of(load_config, path), case["expect"], str(path))


@pytest.mark.parametrize("case", CASES["codebook"], ids=ids("codebook"))
def test_codebook_case(case):
    path = HERE / "codebook" / case["file"]
    check(_problems_of(load_codebook, path), case["expect"], str(path))


@pytest.mark.parametrize("case", CASES["raw"], ids=ids("raw"))
def test_raw_files_case(case, tmp_path):
    # the per-country real-data files exist unless the case lists its own under `seed_files`
    seed = case.get("seed_files", [f"{d}/{c}.csv" for c in case["countries"] for d in COUNTRY_FILES])
    for name in case["files"] + seed:
        (tmp_path / "raw" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "raw" / name).write_text("indicator_id,answer,source,note\n")
    problems = raw_file_problems(str(tmp_path / "raw"), case["countries"], case["rounds"])
    got = sorted((p.file, p.message) for p in problems)
    assert len(got) == len(case["expect"]), got
    for (file, message), (want_file, fragment) in zip(got, case["expect"]):
        assert file == str(tmp_path / "raw" / want_file)
        assert fragment in message, message


def test_unreadable_file_is_named(tmp_path):
    _, _, problems = read_evidence(tmp_path, TINY, "2019", display="raw/evidence/2019/BG.csv")
    assert [(p.file, p.line, p.field) for p in problems] == [("raw/evidence/2019/BG.csv", None, None)]
    assert problems[0].message.startswith("cannot read file: Is a directory")
