"""Input content, not file times, decides what is stale.

Snakemake reruns a job when an input is *newer* than its outputs. A file restored with its old
timestamp (``cp -p``, ``mv`` from a backup, ``rsync -a``, unzip) is older, so the results built
from the edited version would be kept silently. Before the DAG is built, ``mark_changed`` compares
each input file's SHA-256 with the one recorded by the previous run and gives every file whose
content changed the current time as its modification time, so Snakemake sees it as new. (For a
touched file whose content equals what a job last used, Snakemake's own input-checksum record
keeps that job from rerunning.) The record is a JSON file under ``.snakemake/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .io import sha256_file, write_text

STATE_FILE = ".snakemake/niem-input-checksums.json"


def input_files(raw_dir: str | Path, extra: list[str | Path]) -> list[str]:
    """Every regular file under ``raw_dir`` (links are not followed) and the ``extra`` files."""
    found = [Path(top) / name for top, _, files in os.walk(raw_dir) for name in files]
    files = [p for p in found if p.is_file() and not p.is_symlink()] + [Path(p) for p in extra if Path(p).is_file()]
    return sorted({str(p) for p in files})


def mark_changed(files: list[str], state_file: str | Path = STATE_FILE) -> list[str]:
    """Touch the files whose content differs from the record, then record the current content.
    Returns the touched files. A file seen for the first time is recorded, not touched."""
    state_file = Path(state_file)
    try:
        recorded = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    current = {f: sha256_file(f) for f in files}
    changed = [f for f, digest in current.items() if f in recorded and recorded[f] != digest]
    for f in changed:
        os.utime(f)  # now: newer than every output built from the previous content
    if current != recorded:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        write_text(state_file, json.dumps(current, indent=1, sort_keys=True) + "\n")
    return changed
