"""The project as the collection commands see it: configuration, codebook, paths; and the steps the
command line and the rule scripts share (write a questionnaire, import one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.io import source_date_epoch, write_bytes, write_text
from ..inputs.codebook import Codebook, load_codebook
from ..inputs.config import country_codes, load_config, round_ids
from ..inputs.evidence import Answer, load_evidence, read_evidence
from .evidence_file import change_summary, changes, evidence_text, new_file_comments
from .questionnaire import build_questionnaire, guide_lines, read_questionnaire
from .workbook import CellProblem, WorkbookError, deterministic_bytes, epoch_datetime


@dataclass
class Project:
    config: dict
    codebook: Codebook
    root: Path

    def __post_init__(self):
        self.root = Path(self.root)

    @property
    def countries(self) -> list[str]:
        return country_codes(self.config)

    @property
    def rounds(self) -> list[str]:
        return round_ids(self.config)

    @property
    def names(self) -> dict[str, str]:
        return {c["code"]: c["name"] for c in self.config["countries"]}

    def round(self, round_id: str) -> dict:
        return next(r for r in self.config["rounds"] if r["id"] == round_id)

    def previous_round(self, round_id: str) -> str | None:
        i = self.rounds.index(round_id)
        return self.rounds[i - 1] if i else None

    def evidence_path(self, round_id: str, country: str) -> Path:
        return self.root / self.config["raw_dir"] / "evidence" / round_id / f"{country}.csv"


def load_project(config_path: str | Path = "config/config.yaml", root: str | Path = ".") -> Project:
    root = Path(root)
    config = load_config(root / config_path)
    return Project(config, load_codebook(root / config["codebook"]), root)


def workbook_time(reference_date: str) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else midnight UTC of the round's reference date."""
    default = int(dt.datetime.fromisoformat(reference_date).replace(tzinfo=dt.timezone.utc).timestamp())
    return epoch_datetime(source_date_epoch(default)[0])


def previous_answers(project: Project, country: str, round_id: str) -> tuple[str | None, dict[str, Answer]]:
    prev = project.previous_round(round_id)
    if prev is None or not project.evidence_path(prev, country).is_file():
        return prev, {}
    return prev, {a.indicator_id: a for a in load_evidence(project.evidence_path(prev, country), project.codebook, prev)}


def questionnaire_bytes(project: Project, country: str, round_id: str, prefill: bool = False) -> bytes:
    prev, before = previous_answers(project, country, round_id)
    rnd = project.round(round_id)
    wb = build_questionnaire(project.codebook, country, project.names[country], round_id, rnd["label"], prev, before,
                             prefill, guide_lines(project.codebook, round_id, prev))
    return deterministic_bytes(wb, workbook_time(rnd["reference_date"]))


def write_questionnaire(project: Project, country: str, round_id: str, out: str | Path, prefill: bool = False) -> None:
    write_bytes(out, questionnaire_bytes(project, country, round_id, prefill))


@dataclass
class ImportResult:
    path: Path
    written: bool
    message: str


def store_answers(project: Project, country: str, round_id: str, answers: list[Answer], replace: bool,
                  origin: str) -> ImportResult:
    """Write the evidence file of validated answers; an existing different file only with ``replace``."""
    target = project.evidence_path(round_id, country)
    existing: list[Answer] = []
    comments = new_file_comments(country, round_id)
    if target.is_file():
        comments, existing, _ = read_evidence(target, project.codebook, round_id)
        comments = comments or new_file_comments(country, round_id)
    text = evidence_text(answers, project.codebook, round_id, comments, existing)
    diff = changes(existing, answers)
    summary = change_summary(diff, existing, answers)
    if target.is_file():
        if target.read_bytes() == text.encode("utf-8"):
            return ImportResult(target, False, f"{target}: unchanged ({len(answers)} answers from {origin})")
        if not replace:
            raise WorkbookError(origin, [CellProblem("", None, None, f"{target} already exists and differs from this "
                                                     f"workbook ({summary.splitlines()[0]}); nothing was written. Run the "
                                                     "import again with --replace to overwrite it.")])
    write_text(target, text)
    return ImportResult(target, True, f"{target}: written from {origin}\n{summary}")


def import_questionnaire(project: Project, path: str | Path, replace: bool = False) -> ImportResult:
    """Validate a returned questionnaire and write its evidence file; raises WorkbookError (nothing written)."""
    prev_of = {r: project.previous_round(r) for r in project.rounds}
    country, round_id, answers, empty, problems = read_questionnaire(path, project.codebook, project.countries,
                                                                     project.rounds, prev_of)
    if problems:
        raise WorkbookError(str(path), problems)
    result = store_answers(project, country, round_id, answers, replace, str(path))
    if empty:
        result.message += f"\n{empty} questions left empty (unanswered)"
    return result
