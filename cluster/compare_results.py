#!/usr/bin/env python
"""Helpers of cluster/slurm_single_node.sh (usable alone):

    python cluster/compare_results.py prepare DEST     copy this project to DEST (+ header-only
                                                       stand-ins if the workflow needs them)
    python cluster/compare_results.py args DEST        print the --config arguments (one a line)
    python cluster/compare_results.py compare A B      compare A's and B's results/ and reports/

compare checks every results/**/*.parquet and reports/**/*.html|pdf by SHA-256; files whose bytes
differ are compared by content (parquet: the tables; PDF: the extracted text) and count as a
difference only if the content differs. Exit status 1 if anything differs or is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchmark import add_stand_ins, engine_args  # noqa: E402
from make_synthetic_project import copy_project  # noqa: E402

from niem.core.io import sha256_file  # noqa: E402


def outputs(project: Path) -> dict[str, Path]:
    files = {}
    for folder, suffixes in (("results", (".parquet",)), ("reports", (".html", ".pdf"))):
        base = project / folder
        for p in sorted(base.rglob("*")) if base.is_dir() else []:
            if p.is_file() and p.suffix in suffixes and "_work" not in p.parts:
                files[p.relative_to(project).as_posix()] = p
    return files


def same_content(a: Path, b: Path) -> bool:
    if a.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(a).equals(pq.read_table(b))
    if a.suffix == ".pdf":
        from pypdf import PdfReader

        text = lambda p: [page.extract_text() for page in PdfReader(p).pages]  # noqa: E731
        return text(a) == text(b)
    return False


def compare(a: Path, b: Path) -> int:
    fa, fb = outputs(a), outputs(b)
    problems, bytes_only = [], []
    for name in sorted(set(fa) | set(fb)):
        if name not in fa or name not in fb:
            problems.append(f"only in {a if name in fa else b}: {name}")
        elif sha256_file(fa[name]) != sha256_file(fb[name]):
            (bytes_only if same_content(fa[name], fb[name]) else problems).append(name)
    n = len(set(fa) & set(fb))
    print(f"compared {n} files ({sum(k.endswith('.parquet') for k in fa)} parquet, "
          f"{sum(not k.endswith('.parquet') for k in fa)} reports): "
          f"{n - len(bytes_only) - len([p for p in problems if not p.startswith('only')])} identical bytes, "
          f"{len(bytes_only)} same content with different bytes, {len(problems)} different or missing")
    for name in bytes_only:
        print(f"  same content, different bytes: {name}")
    for p in problems:
        print(f"  DIFFERENT: {p}")
    if not fa:
        print("  no outputs found")
        return 1
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "prepare":
        dest = copy_project(ROOT, Path(argv[1]))
        made = add_stand_ins(dest, engine_args(dest))
        print(f"copied the project to {dest}" + (f"; wrote {len(made)} header-only stand-ins" if made else ""))
        return 0
    if len(argv) == 2 and argv[0] == "args":
        for arg in engine_args(Path(argv[1])):
            print(arg)
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
