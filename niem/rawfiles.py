"""Checks that raw/ holds exactly the files the configuration asks for."""

from __future__ import annotations

from pathlib import Path

from .errors import Problem

# Per-country real-data files (see raw/README.md); evidence files are per round and country.
COUNTRY_FILES = ("bip_statistics", "findings")


def raw_file_problems(raw_dir: str, countries: list[str], rounds: list[str]) -> list[Problem]:
    raw = Path(raw_dir)
    problems = []
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
    for path in sorted((raw / "evidence").glob("*/*.csv")):
        r, c = path.parent.name, path.stem
        if r not in rounds:
            problems.append(Problem(str(path), None, None, f"raw file for round '{r}', which config/config.yaml does not list (rounds: {', '.join(rounds)}); add the round to the config or remove the file"))
        elif c not in countries:
            problems.append(Problem(str(path), None, None, f"raw file for country '{c}', which config/config.yaml does not list; add the country to the config or remove the file"))
    return problems
