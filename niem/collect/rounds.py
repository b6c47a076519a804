"""A new round: added to config/config.yaml by a textual insert (its comments and layout kept), and
the countries whose evidence for a configured round is still pending."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..core.errors import InputError, Problem
from ..core.io import write_text
from ..core.yamlio import load_yaml
from ..inputs.config import config_problems, round_ids

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()-]*")


def round_line(round_id: str, label: str, reference_date: str, indent: str) -> str:
    shown = label if _PLAIN.fullmatch(label) and not label.endswith(" ") else '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f'{indent}- {{id: "{round_id}", label: {shown}, reference_date: "{reference_date}"}}\n'


def with_round(text: str, round_id: str, label: str, reference_date: str, file: str) -> str:
    """``text`` (the config file) with the round appended to its ``rounds:`` list, nothing else changed."""
    def bad(field, message):
        raise InputError([Problem(file, None, field, message)])

    if not re.fullmatch(r"[0-9]{4}", round_id):
        bad("rounds", f"round id '{round_id}' must be a four-digit year")
    try:
        dt.date.fromisoformat(reference_date)
    except ValueError:
        bad("reference_date", f"'{reference_date}' is not a date YYYY-MM-DD")
    if not label.strip():
        bad("label", "the round needs a label (e.g. 'Evaluation 3')")
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"rounds:\s*(#.*)?$", line)), None)
    if start is None:
        bad("rounds", "no block-style 'rounds:' list found to add the round to; add it by hand (config/README.md)")
    last, indent = None, None
    for i in range(start + 1, len(lines)):
        m = re.match(r"(\s+)- ", lines[i])
        if m:
            last, indent = i, m.group(1)
        elif lines[i].strip() and not lines[i].lstrip().startswith("#") and not lines[i].startswith((" ", "\t")):
            break
    if last is None:
        bad("rounds", "the 'rounds:' list has no entries in block style ('  - {id: ...}'); add the round by hand")
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    return "".join(lines[: last + 1] + [round_line(round_id, label, reference_date, indent)] + lines[last + 1:])


def add_round(config_path: str | Path, round_id: str, label: str, reference_date: str) -> None:
    """Append the round to the configuration file; the result is validated before it is written."""
    path = Path(config_path)
    data, _ = load_yaml(path)
    existing = round_ids(data)
    if round_id in existing:
        raise InputError([Problem(str(path), None, "rounds", f"round {round_id} is already configured")])
    if existing and round_id <= existing[-1]:
        raise InputError([Problem(str(path), None, "rounds", f"a new round must be newer than the last one ({existing[-1]})")])
    text = with_round(path.read_text(encoding="utf-8"), round_id, label, reference_date, str(path))
    tmp = path.with_name(f".{path.name}.check")
    try:
        tmp.write_text(text, encoding="utf-8")
        new, lines = load_yaml(tmp)
        problems = config_problems(new, str(path), lines)
    finally:
        tmp.unlink(missing_ok=True)
    if problems:
        raise InputError(problems)
    if round_ids(new) != existing + [round_id]:
        raise InputError([Problem(str(path), None, "rounds", "the round could not be added safely; add it by hand")])
    write_text(path, text)


def pending_evidence(raw_dir: str | Path, countries: list[str], rounds: list[str]) -> list[dict]:
    """Configured (country, round) pairs without an evidence file yet."""
    raw = Path(raw_dir)
    return [{"country": c, "round": r, "file": f"{raw_dir}/evidence/{r}/{c}.csv"}
            for r in rounds for c in countries if not (raw / "evidence" / r / f"{c}.csv").is_file()]
