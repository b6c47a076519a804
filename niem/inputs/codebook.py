"""The indicator codebook: structure (areas, dimensions, steps), indicators and answer rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem, raise_if
from ..core.schema import schema_problems
from ..core.yamlio import load_yaml

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "codebook.schema.yaml"

NO_DATA = "no data"
NOT_APPLICABLE = "not applicable"
SPECIAL_ANSWERS = (NO_DATA, NOT_APPLICABLE)
KIND_STEP_CODE = {"statistical": "S", "descriptive": "D"}


@dataclass(frozen=True)
class Option:
    value: str
    points: float | None
    label: str


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    step: str | None
    kind: str  # scored | statistical | descriptive
    question: str
    theme: str | None
    introduced: str
    retired_after: str | None
    scale: str | None = None
    options: tuple[Option, ...] = ()
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    best: float | None = None
    worst: float | None = None

    @property
    def numeric(self) -> bool:
        return self.scale is None

    def asked_in(self, round_id: str) -> bool:
        return self.introduced <= round_id and (self.retired_after is None or round_id <= self.retired_after)

    def option_values(self) -> list[str]:
        return [o.value for o in self.options]

    def points(self, answer: str, value: float | None) -> float | None:
        """Points (0-100) of a valid answer of a scored indicator; None for unscored kinds."""
        if self.kind != "scored":
            return None
        if self.numeric:
            return numeric_points(value, self.best, self.worst)
        return next(o.points for o in self.options if o.value == answer)


def numeric_points(value: float, best: float, worst: float) -> float:
    """Linear rule: ``best`` gives 100 points, ``worst`` 0, clamped outside the two anchors."""
    share = (value - worst) / (best - worst)
    return round(100.0 * min(1.0, max(0.0, share)), 6)


@dataclass(frozen=True)
class Codebook:
    version: str
    title: str
    areas: tuple[dict, ...]
    dimensions: tuple[dict, ...]
    steps: tuple[dict, ...]
    indicators: tuple[Indicator, ...]

    @property
    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @property
    def step_ids(self) -> list[str]:
        return [s["id"] for s in self.steps]

    @property
    def scored_dimensions(self) -> list[str]:
        return [d["id"] for d in self.dimensions if d["scored"]]

    @property
    def dimension_area(self) -> dict[str, str]:
        return {d["id"]: d["area"] for d in self.dimensions}

    def dimension_name(self, dim: str) -> str:
        return next(d["name"] for d in self.dimensions if d["id"] == dim)

    def in_round(self, round_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.asked_in(round_id)]


def _semantic_problems(data: dict, file: str, lines: dict) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: tuple, field: str, message: str) -> None:
        problems.append(Problem(file, lines.get(path), field, message))

    for section in ("areas", "dimensions", "steps", "indicators"):
        seen: dict[str, int] = {}
        for i, entry in enumerate(data[section]):
            if entry["id"] in seen:
                add((section, i, "id"), f"{section}[{i}].id", f"duplicate id '{entry['id']}' (also {section}[{seen[entry['id']]}])")
            seen[entry["id"]] = i
    areas = {a["id"] for a in data["areas"]}
    dims = {d["id"]: d for d in data["dimensions"]}
    steps = {s["id"]: s for s in data["steps"]}
    scales = data["scales"]
    for i, d in enumerate(data["dimensions"]):
        if d["area"] not in areas:
            add(("dimensions", i, "area"), f"dimensions[{i}].area", f"unknown area '{d['area']}'; expected one of: {', '.join(sorted(areas))}")
    for i, ind in enumerate(data["indicators"]):
        where = f"indicators[{i}]"

        def bad(key: str, message: str) -> None:
            add(("indicators", i, key), f"{where}.{key}", f"{ind['id']}: {message}")

        dim = dims.get(ind["dimension"])
        if dim is None:
            bad("dimension", f"unknown dimension '{ind['dimension']}'; expected one of: {', '.join(dims)}")
            continue
        kind, step, answer = ind["kind"], ind["step"], ind["answer"]
        if kind == "scored":
            if step not in steps:
                bad("step", f"a scored indicator needs one of the steps {', '.join(steps)}, got {step!r}")
                continue
            if not dim["scored"]:
                bad("dimension", f"dimension '{dim['id']}' is unscored, so its indicators cannot be of kind 'scored'")
            step_code = steps[step]["code"]
        else:
            if step is not None:
                bad("step", f"a {kind} indicator has no step (use null), got '{step}'")
            step_code = KIND_STEP_CODE[kind]
        expected_prefix = f"{dim['code']}-{step_code}"
        if not ind["id"].startswith(expected_prefix):
            bad("id", f"id must start with '{expected_prefix}' (dimension code, then step or kind code)")
        if "scale" in answer:
            scale = scales.get(answer["scale"])
            if scale is None:
                bad("answer", f"unknown scale '{answer['scale']}'; expected one of: {', '.join(scales)}")
            elif kind == "scored" and any("points" not in o for o in scale["options"]):
                bad("answer", f"scale '{answer['scale']}' has options without points, so it cannot score a scored indicator")
        else:
            lo, hi = answer["min"], answer["max"]
            if hi is not None and lo > hi:
                bad("answer", f"min {lo} is greater than max {hi}")
            if kind == "scored":
                if "best" not in answer or "worst" not in answer:
                    bad("answer", "a scored numeric indicator needs 'best' and 'worst' anchors")
                elif answer["best"] == answer["worst"]:
                    bad("answer", "'best' and 'worst' must differ")
                else:
                    for key in ("best", "worst"):
                        if answer[key] < lo or (hi is not None and answer[key] > hi):
                            bad("answer", f"'{key}' {answer[key]} lies outside the answer range [{lo}, {hi}]")
            elif "best" in answer or "worst" in answer:
                bad("answer", f"a {kind} indicator is not scored, so it takes no 'best'/'worst'")
        if kind == "statistical" and ind["theme"] is None:
            bad("theme", "a statistical indicator needs a theme")
        if ind["retired_after"] is not None and ind["retired_after"] < ind["introduced"]:
            bad("retired_after", f"retired_after {ind['retired_after']} is before introduced {ind['introduced']}")
    return problems


def build_codebook(data: dict) -> Codebook:
    indicators = []
    for ind in data["indicators"]:
        answer = ind["answer"]
        common = dict(id=ind["id"], dimension=ind["dimension"], step=ind["step"], kind=ind["kind"],
                      question=ind["question"], theme=ind["theme"], introduced=ind["introduced"],
                      retired_after=ind["retired_after"])
        if "scale" in answer:
            options = tuple(Option(o["value"], o.get("points"), o["label"]) for o in data["scales"][answer["scale"]]["options"])
            indicators.append(Indicator(**common, scale=answer["scale"], options=options))
        else:
            indicators.append(Indicator(**common, unit=answer["unit"], minimum=answer["min"], maximum=answer["max"],
                                        best=answer.get("best"), worst=answer.get("worst")))
    return Codebook(version=data["codebook_version"], title=data["title"], areas=tuple(data["areas"]),
                    dimensions=tuple(data["dimensions"]), steps=tuple(data["steps"]), indicators=tuple(indicators))


def load_codebook(path: str | Path, schema: str | Path = SCHEMA) -> Codebook:
    """Read and validate a codebook; raises InputError naming line and field of every problem."""
    data, lines = load_yaml(path)
    problems = schema_problems(data, schema, str(path), lines)
    raise_if(problems)
    raise_if(_semantic_problems(data, str(path), lines))
    return build_codebook(data)
