"""Checks that raw/ holds exactly the files the configuration asks for."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import Problem

# Per-country real-data files (see raw/README.md); evidence files are per round and country.
COUNTRY_FILES = ("bip_statistics", "findings", "legal_framework")
# Real-data files for all countries together (raw/README.md).
SHARED_FILES = ("comparative_conclusions.csv",)


def outside_problems(raw: Path) -> list[Problem]:
    """Files under raw/ that are symbolic links (or lie in linked folders) leading outside raw/:
    refused, and never opened, so no file outside the project is read or quoted in a message."""
    root = raw.resolve()
    problems = []
    found = [Path(top) / name for top, dirs, files in os.walk(raw) for name in dirs + files]  # links not followed
    for path in sorted(found):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.append(Problem(str(path), None, None, "symbolic link to a file outside the raw folder; raw files "
                                    "must be inside it (copy the file in instead); the target was not read"))
    return problems


def raw_file_problems(raw_dir: str, countries: list[str], rounds: list[str]) -> list[Problem]:
    raw = Path(raw_dir)
    problems = outside_problems(raw)
    if problems:
        return problems
    for r in rounds:
        for c in countries:
            path = raw / "evidence" / r / f"{c}.csv"
            if not path.is_file():
                problems.append(Problem(str(path), None, None, f"missing raw file: config lists country {c} and round {r}, but there is no evidence file for them"))
    for c in countries:
        for folder in COUNTRY_FILES:
            path = raw / folder / f"{c}.csv"
            if not path.is_file():
                problems.append(Problem(str(path), None, None, f"missing raw file: config lists country {c}; create it (a header line is enough, see raw/README.md)"))
    for folder in COUNTRY_FILES:
        for path in sorted((raw / folder).glob("*.csv")):
            if path.stem not in countries:
                problems.append(Problem(str(path), None, None, f"raw file for country '{path.stem}', which config/config.yaml does not list; add the country to the config or remove the file"))
    problems += round_folder_problems(raw / "evidence", "evidence", "raw file", countries, rounds)
    # resolution registers of the clarification loop (python -m niem.collect import-clarification)
    problems += round_folder_problems(raw / "clarifications", "resolution register", "resolution register", countries, rounds)
    return problems


def round_folder_problems(folder: Path, what: str, label: str, countries: list[str], rounds: list[str]) -> list[Problem]:
    """Files of a folder laid out as {round}/{country code}.csv that do not fit the configuration:
    a stray file, or one for a round or country config/config.yaml does not list (refused, never
    silently ignored)."""
    problems = []
    for path in sorted(folder.glob("*")) + sorted(folder.glob("*/*")):
        r, c = path.parent.name, path.stem
        if path.name.startswith("."):
            continue  # hidden files (.gitkeep, editor lock files) are not raw files
        if path.parent == folder:
            if not path.is_dir():
                problems.append(Problem(str(path), None, None, f"file outside a round folder; {what} files go in "
                                        f"raw/{folder.name}/{{round}}/{{country code}}.csv"))
        elif path.suffix != ".csv" or not path.is_file():
            problems.append(Problem(str(path), None, None, f"unexpected {'folder' if path.is_dir() else 'file'} in the {folder.name} folder; "
                                    f"{what} files are UTF-8 CSV files named {{country code}}.csv (e.g. BG.csv)"))
        elif r not in rounds:
            problems.append(Problem(str(path), None, None, f"{label} for round '{r}', which config/config.yaml does not list (rounds: {', '.join(rounds)}); add the round to the config or remove the file"))
        elif c not in countries:
            problems.append(Problem(str(path), None, None, f"{label} for country '{c}', which config/config.yaml does not list; add the country to the config or remove the file"))
    return problems
