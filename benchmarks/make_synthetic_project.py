#!/usr/bin/env python
"""Make a SYNTHETIC copy of the project with N units x R rounds, for scale benchmarks only.

    python benchmarks/make_synthetic_project.py DEST --countries 100 --rounds 6 [--seed 7]

The copy differs from the project only in config/config.yaml (countries and rounds replaced,
every other key kept) and in raw/: every evidence file is resampled from the project's
illustrative answers, indicator by indicator, from the nearest existing round that asks the
indicator (the codebook's `introduced` / `retired_after` decide which indicators a round asks);
each synthetic unit follows one source country and takes 20% of its answers from others. The
per-country real-data files (raw/bip_statistics, raw/findings) are written header-only. Every
written file says SYNTHETIC in a leading '#' comment line, and unit names say 'Synthetic unit'.
Unit codes are XS-001 ... XS-999, then XT-001 ... (ISO 3166 user-assigned letters plus a
subdivision-style suffix); rounds are the project's rounds, then every second year after them.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MARK = "SYNTHETIC"
# What a project copy leaves out: outputs, caches, environments and version control.
SKIP_NAMES = {".git", ".venv", ".snakemake", "__pycache__", ".pytest_cache"}
SKIP_PATHS = {"results", "logs", "archive", "reports/country", "reports/comparative", "reports/_work"}
# Header-only files for the per-country real-data folders (used when the source has no file to copy
# the header from). The workflow's own list (niem.inputs.rawfiles.COUNTRY_FILES) decides which folders.
COUNTRY_FILE_HEADERS = {
    "bip_statistics": "measure,slot,reference_as_printed,value,unit,value_as_printed,status,basis,qualifier,source,note",
    "findings": "section,item,tags_as_printed,dimensions,text",
    "legal_framework": "field,item,text,note",
}
RESAMPLE_SHARE = 0.2


def copy_project(src: Path, dest: Path) -> Path:
    """Copy the project's inputs and code (no results, logs, reports or .snakemake) to ``dest``."""
    src = Path(src)

    def ignore(folder, names):
        rel = Path(folder).relative_to(src)
        return {n for n in names if n in SKIP_NAMES or n.endswith(".egg-info") or (rel / n).as_posix() in SKIP_PATHS}

    shutil.copytree(src, dest, ignore=ignore, dirs_exist_ok=True)
    return dest


def country_file_folders(project: Path) -> tuple[str, ...]:
    """The per-country raw folders the workflow checks (read from the project's niem.inputs.rawfiles)."""
    text = (project / "niem" / "inputs" / "rawfiles.py").read_text(encoding="utf-8") if (project / "niem" / "inputs" / "rawfiles.py").exists() else ""
    found = tuple(name for name in COUNTRY_FILE_HEADERS if f'"{name}"' in text)
    return found or tuple(COUNTRY_FILE_HEADERS)


def shared_files(project: Path) -> tuple[str, ...]:
    """The raw files for all countries together that exist in the project (niem.inputs.rawfiles.SHARED_FILES)."""
    text = (project / "niem" / "inputs" / "rawfiles.py").read_text(encoding="utf-8") if (project / "niem" / "inputs" / "rawfiles.py").exists() else ""
    match = re.search(r"SHARED_FILES = \(([^)]*)\)", text)
    names = re.findall(r'"([^"]+)"', match.group(1)) if match else []
    return tuple(n for n in names if (project / "raw" / n).is_file())


def read_csv_with_comments(path: Path) -> tuple[list[str], list[str], list[dict]]:
    """(leading '#' comment lines, header fields, rows as dicts)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        n += 1
    reader = csv.DictReader(io.StringIO("".join(lines[n:])))
    rows = list(reader)
    return [x.rstrip("\n") for x in lines[:n]], list(reader.fieldnames or []), rows


def header_line(folder: Path, name: str) -> str:
    for path in sorted(folder.glob("*.csv")):
        _, fields, _ = read_csv_with_comments(path)
        if fields:
            return ",".join(fields)
    return COUNTRY_FILE_HEADERS[name]


def unit_codes(n: int) -> list[str]:
    codes = []
    for i in range(n):
        block, k = divmod(i, 999)
        prefix = "X" + chr(ord("S") + block)  # XS, XT, ... (XZ at most: 7 x 999 units)
        if prefix > "XZ":
            raise ValueError("at most 6993 synthetic units")
        codes.append(f"{prefix}-{k + 1:03d}")
    return codes


def round_ids(existing: list[str], n: int) -> list[str]:
    ids = list(existing[:n])
    while len(ids) < n:
        ids.append(str(int(ids[-1]) + 2))
    return ids


def asked(indicator: dict, round_id: str) -> bool:
    """The codebook rule (config/README.md): introduced <= round <= retired_after (if any)."""
    r = int(round_id)
    retired = indicator.get("retired_after")
    return int(indicator["introduced"]) <= r and (retired is None or r <= int(retired))


def make_synthetic_project(dest: Path, n_countries: int, n_rounds: int, seed: int = 7, source: Path = ROOT) -> dict:
    """Write the synthetic project to ``dest``; returns a summary (units, rounds, files written)."""
    dest = Path(dest)
    source = Path(source)
    copy_project(source, dest)
    config = yaml.safe_load((source / "config" / "config.yaml").read_text(encoding="utf-8"))
    raw_src = source / config.get("raw_dir", "raw")
    raw = dest / config.get("raw_dir", "raw")
    codebook = yaml.safe_load((source / config["codebook"]).read_text(encoding="utf-8"))
    indicators = codebook["indicators"]

    src_rounds = [r["id"] for r in config["rounds"]]
    src_countries = [c["code"] for c in config["countries"]]
    evidence: dict[tuple[str, str], dict[str, dict]] = {}
    fields: list[str] = []
    for r in src_rounds:
        for c in src_countries:
            _, fields, rows = read_csv_with_comments(raw_src / "evidence" / r / f"{c}.csv")
            evidence[(r, c)] = {row["indicator_id"]: row for row in rows}

    units = unit_codes(n_countries)
    rounds = round_ids(src_rounds, n_rounds)
    config["countries"] = [{"code": u, "name": f"Synthetic unit {u}"} for u in units]
    config["rounds"] = [{"id": r, "label": f"Synthetic round {r}",
                         "reference_date": f"{r}-01-01"} for r in rounds]
    (dest / "config" / "config.yaml").write_text(
        f"# {MARK} CONFIGURATION for benchmarks - written by benchmarks/make_synthetic_project.py (seed {seed}):\n"
        f"# {n_countries} synthetic units x {n_rounds} rounds; their evidence is resampled from the illustrative\n"
        "# answers in raw/evidence. Not real data; only for timing the workflow at scale.\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")

    shutil.rmtree(raw / "evidence", ignore_errors=True)
    rng = random.Random(seed)
    for r in rounds:
        ask = [i for i in indicators if asked(i, r)]
        # for each indicator asked in r: the nearest source round that asks it (earlier wins a tie)
        nearest = {}
        for ind in ask:
            candidates = [s for s in src_rounds if asked(ind, s)]
            if candidates:
                nearest[ind["id"]] = min(candidates, key=lambda s: (abs(int(s) - int(r)), int(s)))
        folder = raw / "evidence" / r
        folder.mkdir(parents=True, exist_ok=True)
        for k, unit in enumerate(units):
            template = src_countries[k % len(src_countries)]
            buf = io.StringIO()
            buf.write(f"# {MARK} DATA for benchmarks - not real NIEM answers. Written by benchmarks/make_synthetic_project.py\n"
                      f"# (seed {seed}): unit {unit}, round {r}, resampled from the illustrative answers (template {template}).\n")
            w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
            w.writeheader()
            for ind in ask:
                src_round = nearest.get(ind["id"])
                if src_round is None:
                    continue
                country = template if rng.random() >= RESAMPLE_SHARE else rng.choice(src_countries)
                row = evidence[(src_round, country)].get(ind["id"])
                if row is not None:  # absent in the source: stays unanswered here too
                    w.writerow(row)
            (folder / f"{unit}.csv").write_text(buf.getvalue(), encoding="utf-8")

    for name in country_file_folders(source):
        header = header_line(raw_src / name, name)
        shutil.rmtree(raw / name, ignore_errors=True)
        (raw / name).mkdir(parents=True)
        for unit in units:
            (raw / name / f"{unit}.csv").write_text(
                f"# {MARK} stand-in for benchmarks: header only, no data (benchmarks/make_synthetic_project.py)\n{header}\n",
                encoding="utf-8")
    for name in shared_files(source):  # real text for all countries (raw/comparative_conclusions.csv)
        _, fields, _ = read_csv_with_comments(raw_src / name)
        (raw / name).write_text(f"# {MARK} stand-in for benchmarks: header only, no data (benchmarks/make_synthetic_project.py)\n"
                                f"{','.join(fields)}\n", encoding="utf-8")
    return {"dest": str(dest), "countries": units, "rounds": rounds,
            "evidence_files": len(units) * len(rounds)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path, help="folder to create (must not exist)")
    ap.add_argument("--countries", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--source", type=Path, default=ROOT, help="project to copy (default: this one)")
    args = ap.parse_args(argv)
    if args.dest.exists():
        ap.error(f"{args.dest} exists; give a new folder")
    out = make_synthetic_project(args.dest, args.countries, args.rounds, args.seed, args.source)
    print(f"wrote SYNTHETIC project {out['dest']}: {len(out['countries'])} units x {len(out['rounds'])} rounds "
          f"({', '.join(out['rounds'])}), {out['evidence_files']} evidence files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
