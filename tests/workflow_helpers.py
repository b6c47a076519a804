"""Run the Snakemake workflow on a copy of the project (so tests never touch the real results/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["Snakefile", "workflow", "scripts", "niem", "config", "raw", "reports", "profiles"]


def copy_project(dest: Path, parts=PROJECT_PARTS) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        src = ROOT / part
        if not src.exists():
            continue
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", "country", "comparative", "_work"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", "--directory", str(workdir),
           "--snakefile", str(workdir / "Snakefile"), *args]
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=full_env)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc
