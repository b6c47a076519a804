"""Round archives: pin the state of the project as of one round in a deterministic tar.gz.

An archive ``niem-round-{R}.tar.gz`` holds, under one top folder ``niem-round-{R}/``:

* the inputs of rounds <= R (raw evidence of those rounds, the seed-data raw files, the config
  with ``rounds`` cut to <= R, the codebook and the published-figures register),
* the workflow code (Snakefile, workflow/, scripts/, niem/, profiles/, packaging files),
* the results/ and reports/ of a clean build of exactly those inputs with that code,
* ``provenance.json``, ``datapackage.json`` (Frictionless Data Package) and ``MANIFEST.sha256``.

The tar.gz is byte-identical for identical contents (sorted members, fixed owner, modes and
mtime; no name or time in the gzip header). Command line (docs/archive.md)::

    python -m niem.archive verify ARCHIVE     # every member against MANIFEST.sha256
    python -m niem.archive rebuild ARCHIVE    # rebuild from the archive's own inputs and code
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

from ..core.errors import InputError, Problem
from ..core.io import atomic_path, sha256_file, write_text
from ..inputs.rawfiles import COUNTRY_FILES, SHARED_FILES
from ..core.io import source_date_epoch as read_source_date_epoch
from ..core.yamlio import dump_yaml

# mtime of every member (and of the gzip header) when SOURCE_DATE_EPOCH is not set:
# 1980-01-01T00:00:00Z, the earliest time every archive format (also zip) can represent.
DEFAULT_EPOCH = 315532800
MANIFEST = "MANIFEST.sha256"
PROVENANCE = "provenance.json"
DATAPACKAGE = "datapackage.json"
# Workflow code packed with every archive (paths relative to the Snakefile's folder).
CODE_PARTS = ("Snakefile", "workflow", "scripts", "niem", "profiles", "pyproject.toml", "environment.yml", "run")
CODE_GLOBS = ("requirements*.txt",)
# What the report rules write under reports_dir; anything else there is an input (e.g. templates).
REPORT_OUTPUTS = ("country", "comparative", "_work", "render_info.json")
WORK_DIRS = ("_work",)  # scratch folders of report rendering: never archived or compared
KEY_PACKAGES = ("snakemake", "pandas", "pyarrow", "numpy", "scipy", "statsmodels", "pyyaml", "jsonschema",
                "matplotlib", "pypandoc-binary", "typst", "pypdf", "quarto-cli", "niem-eval")
MEDIATYPES = {".parquet": "application/vnd.apache.parquet", ".csv": "text/csv", ".html": "text/html",
              ".pdf": "application/pdf", ".json": "application/json", ".md": "text/markdown"}


class ArchiveError(Exception):
    """An archive that cannot be used (not a tar.gz, no manifest, ...): one clear message."""


def archive_name(round_id: str) -> str:
    return f"niem-round-{round_id}"


# ---------------------------------------------------------------------------------------------
# Files and checksums


def is_packable(rel: str) -> bool:
    """False for hidden files and folders (locks, atomic-write temporaries, .snakemake), Python
    caches and the report work folders."""
    parts = PurePosixPath(rel).parts
    return not any(p.startswith(".") or p == "__pycache__" or p in WORK_DIRS for p in parts) and not rel.endswith(".pyc")


def tree_files(root: str | Path, sub: str = "") -> list[str]:
    """Packable files under ``root/sub`` as sorted POSIX paths relative to ``root``."""
    root = Path(root)
    base = root / sub if sub else root
    if base.is_file():
        rels = [base.relative_to(root).as_posix()]
    elif base.is_dir():
        rels = [p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()]
    else:
        rels = []
    return sorted(r for r in rels if is_packable(r))


def tree_digests(root: str | Path, sub: str = "") -> dict[str, str]:
    """{relative path: sha256} of the packable files under ``root/sub``."""
    return {rel: sha256_file(Path(root) / rel) for rel in tree_files(root, sub)}


def manifest_text(digests: dict[str, str]) -> str:
    """sha256sum format (``<hex>  <path>``), sorted by path; ``sha256sum -c`` accepts it."""
    return "".join(f"{digests[p]}  {p}\n" for p in sorted(digests))


_MANIFEST_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def parse_manifest(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = _MANIFEST_LINE.fullmatch(line)
        if not m:
            raise ArchiveError(f"{MANIFEST} line {n} is not '<sha256>  <path>': {line[:80]!r}")
        if m.group(2) in out:
            raise ArchiveError(f"{MANIFEST} line {n}: {m.group(2)} is listed twice")
        out[m.group(2)] = m.group(1)
    return out


# ---------------------------------------------------------------------------------------------
# Deterministic tar.gz


def source_date_epoch(environ=os.environ) -> tuple[int, str]:
    """(timestamp of every member, where it came from: 'SOURCE_DATE_EPOCH' or 'default')."""
    return read_source_date_epoch(DEFAULT_EPOCH, environ)


@dataclass(frozen=True)
class Member:
    name: str  # path inside the archive
    data: bytes | None = None  # content, or
    source: Path | None = None  # a file to copy
    executable: bool = False


def write_tar_gz(dest: str | Path, members: list[Member], mtime: int) -> None:
    """Write ``members`` (sorted by name) as a reproducible tar.gz: uid/gid 0, empty owner
    names, modes 0644/0755, every mtime = ``mtime``; gzip header without file name, mtime
    ``mtime``. Identical members give identical bytes."""
    names = [m.name for m in members]
    if len(set(names)) != len(names):
        raise ValueError("duplicate member names")
    with atomic_path(dest) as tmp, open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=mtime) as gz:
            with tarfile.TarFile(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for member in sorted(members, key=lambda m: m.name):
                    info = tarfile.TarInfo(member.name)
                    info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
                    info.mode = 0o755 if member.executable else 0o644
                    if member.data is not None:
                        info.size = len(member.data)
                        tar.addfile(info, io.BytesIO(member.data))
                    else:
                        info.size = member.source.stat().st_size
                        with open(member.source, "rb") as fh:
                            tar.addfile(info, fh)


# ---------------------------------------------------------------------------------------------
# What goes into a round's archive


def _relative_path(value, file: str, key: str) -> str:
    rel = PurePosixPath(str(value).replace(os.sep, "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise InputError([Problem(file, None, key, f"must be a relative path inside the project to be archived, got {value!r}")])
    return rel.as_posix()


def cut_config(config: dict, round_id: str, file: str = "config/config.yaml") -> dict:
    """The configuration as of round ``round_id``: ``rounds`` cut to those up to it."""
    ids = [r["id"] for r in config["rounds"]]
    if round_id not in ids:
        raise InputError([Problem(file, None, "rounds", f"round {round_id} is not configured (configured: {', '.join(ids)})")])
    out = dict(config)
    out["rounds"] = [r for r in config["rounds"] if r["id"] <= round_id]
    return out


def code_files(basedir: str | Path) -> list[str]:
    """The workflow code, as paths relative to ``basedir`` (the Snakefile's folder)."""
    basedir = Path(basedir)
    rels = [r for part in CODE_PARTS for r in tree_files(basedir, part)]
    rels += [p.name for pattern in CODE_GLOBS for p in basedir.glob(pattern) if p.is_file()]
    return sorted(set(rels))


def data_files(config: dict, round_id: str, workdir: str | Path = ".", file: str = "config/config.yaml") -> list[str]:
    """The inputs of round ``round_id`` (paths relative to the working folder): codebook,
    register, config/README.md, raw evidence of rounds <= R, seed-data raw files, and the
    non-output files of results_dir and reports_dir (their READMEs, report templates)."""
    workdir = Path(workdir)
    raw = _relative_path(config["raw_dir"], file, "raw_dir")
    results = _relative_path(config["results_dir"], file, "results_dir")
    reports = _relative_path(config["reports_dir"], file, "reports_dir")
    rels = [_relative_path(config["codebook"], file, "codebook"), _relative_path(config["published_figures"], file, "published_figures")]
    rels += tree_files(workdir, "config/README.md") + tree_files(workdir, f"{raw}/README.md")
    rels += [r for part in (*COUNTRY_FILES, *SHARED_FILES) for r in tree_files(workdir, f"{raw}/{part}")]
    rels += [r for rnd in cut_config(config, round_id, file)["rounds"] for r in tree_files(workdir, f"{raw}/evidence/{rnd['id']}")]
    rels += tree_files(workdir, f"{results}/README.md")
    rels += [r for r in tree_files(workdir, reports) if PurePosixPath(r).relative_to(reports).parts[0] not in REPORT_OUTPUTS]
    return sorted(set(rels))


# ---------------------------------------------------------------------------------------------
# Provenance and the Frictionless Data Package


def package_versions(names=KEY_PACKAGES) -> dict[str, str | None]:
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_state(folder: str | Path) -> dict:
    """{"commit": hash, "dirty": bool} of the git work tree whose top is ``folder``; nulls when
    git is missing or ``folder`` is not the top of a work tree."""
    def git(*args):
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)
    try:
        top = git("rev-parse", "--show-toplevel")
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != Path(folder).resolve():
            return {"commit": None, "dirty": None}
        head, status = git("rev-parse", "HEAD"), git("status", "--porcelain")
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    if head.returncode != 0 or status.returncode != 0:
        return {"commit": None, "dirty": None}
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}


def render_info(path: str | Path) -> dict:
    """The report engine recorded by the report rules ({"engine": "none"} when there is none)."""
    path = Path(path)
    if not path.is_file():
        return {"engine": "none", "versions": {}}
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError([Problem(str(path), None, None, "not valid JSON")]) from None
    if not isinstance(info, dict):
        raise InputError([Problem(str(path), None, None, "must be a JSON object with 'engine' and 'versions'")])
    return {"engine": info.get("engine", "none"), "versions": info.get("versions", {})}


def provenance(round_id: str, rounds: list[str], digests: dict[str, str], config: dict, outputs: list[str],
               git: dict, engine: dict, epoch: tuple[int, str], versions: dict | None = None) -> dict:
    """Everything needed to say how the archive was made; no clock time, host name or absolute path."""
    return {
        "archive": archive_name(round_id),
        "round": round_id,
        "rounds": rounds,
        "python": {"version": platform.python_version(), "implementation": platform.python_implementation()},
        "packages": versions if versions is not None else package_versions(),
        "git": git,
        "inputs": {
            "config": {"path": "config/config.yaml", "sha256": digests["config/config.yaml"]},
            "codebook": {"path": config["codebook"], "sha256": digests[config["codebook"]]},
            "published_figures": {"path": config["published_figures"], "sha256": digests[config["published_figures"]]},
        },
        "command": {
            "archive": f"snakemake --cores N archive_{round_id}",
            "build": "python -m snakemake --cores N  (a clean build of rule all in a staging copy of the archived inputs and code)",
            "verify": f"python -m niem.archive verify {archive_name(round_id)}.tar.gz",
            "rebuild": f"python -m niem.archive rebuild {archive_name(round_id)}.tar.gz",
        },
        "report_engine": engine,
        "source_date_epoch": {"value": epoch[0], "from": epoch[1]},
        "outputs": outputs,
    }


_FRICTIONLESS_TYPES = (("string", "string"), ("large_string", "string"), ("integer", "integer"), ("floating", "number"),
                       ("boolean", "boolean"), ("date", "date"), ("timestamp", "datetime"), ("time", "time"),
                       ("list", "array"), ("large_list", "array"), ("struct", "object"), ("dictionary", "string"))


def frictionless_type(dtype) -> str:
    import pyarrow as pa

    for test, name in _FRICTIONLESS_TYPES:
        if getattr(pa.types, f"is_{test}")(dtype):
            return name
    return "any"


def _parquet_table_name(path: Path) -> str:
    """The registry name stored in the file's schema metadata (niem.core.registry.TableSpec.schema),
    else the file name's stem."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
        return json.loads(meta[b"niem"])["table"]
    except Exception:  # not written by niem.core.registry, or not readable: fall back to the file name
        return path.stem


def _resource_name(rel: str, taken: set) -> str:
    base = re.sub(r"[^a-z0-9._/-]+", "-", rel.lower())
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def datapackage(root: str | Path, files: list[str], digests: dict[str, str], round_id: str, raw_dir: str = "raw") -> dict:
    """A Frictionless Data Package describing ``files`` (paths relative to ``root``): parquet
    tables with their registry schema (tables not in the catalogue niem.tables are listed without a
    schema), CSV, HTML, PDF and JSON files with format and media type."""
    from ..core.registry import ILLUSTRATIVE, REAL
    from ..tables import all_tables

    tables = all_tables()

    root, resources, taken = Path(root), [], set()
    for rel in sorted(files):
        suffix = PurePosixPath(rel).suffix.lower()
        if suffix not in MEDIATYPES or suffix == ".md":
            continue
        res = {"name": _resource_name(rel, taken), "path": rel, "format": suffix[1:], "mediatype": MEDIATYPES[suffix],
               "bytes": (root / rel).stat().st_size, "hash": f"sha256:{digests[rel]}"}
        if suffix == ".csv":
            res["encoding"] = "utf-8"
        if suffix == ".parquet":
            spec = tables.get(_parquet_table_name(root / rel))
            if spec is None:
                res["description"] = "Table not in the table registry (niem.tables catalogue): no schema recorded."
            else:
                res["title"] = spec.name
                res["description"] = f"{spec.description} {spec.provenance}"
                res["schema"] = {"fields": [{"name": n, "type": frictionless_type(t), "description": d} for n, t, d in spec.columns]}
        elif rel.startswith(f"{raw_dir}/evidence/"):
            res["description"] = f"Raw evidence (one country, one round). {ILLUSTRATIVE}"
        elif rel.startswith(tuple(f"{raw_dir}/{part}/" for part in COUNTRY_FILES)) or rel in {f"{raw_dir}/{f}" for f in SHARED_FILES}:
            res["description"] = f"Raw seed data (real text or statistics). {REAL}"
        resources.append(res)
    return {
        "profile": "data-package",
        "name": archive_name(round_id),
        "title": f"NIEM-eval: inputs, tables and reports as of round {round_id}",
        "description": ("Pinned state of the NIEM-eval pipeline for the rounds up to and including "
                        f"{round_id}. Indicator answers are illustrative (synthetic); BIP statistics and findings are real. "
                        "See provenance.json and MANIFEST.sha256."),
        "resources": resources,
    }


# ---------------------------------------------------------------------------------------------
# Building: a clean nested Snakemake run


def clean_build(workdir: str | Path, cores: int, echo) -> int:
    """Run ``python -m snakemake --cores N`` (rule all) in ``workdir`` with the environment's
    PYTHONPATH removed, so the folder's own niem/ is used. Each output line goes to ``echo``.
    Returns the exit status."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    cmd = [sys.executable, "-m", "snakemake", "--cores", str(cores)]
    with subprocess.Popen(cmd, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", errors="replace") as proc:
        for line in proc.stdout:
            echo(line.rstrip("\n"))
    return proc.returncode


def _stage(staging: Path, copies: dict[str, Path], config_text: str) -> None:
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for rel, src in copies.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, staging / rel)
    write_text(staging / "config" / "config.yaml", config_text)


def staged_config_text(config: dict, round_id: str) -> str:
    return ("# Configuration as of round " + round_id + ": the configuration of the project that made this archive\n"
            "# (defaults and --config overrides applied) with `rounds` cut to the rounds up to " + round_id + ".\n"
            "# Every key is documented in config/README.md.\n" + dump_yaml(config))


def build_round_archive(round_id: str, config: dict, code: dict[str, Path], data: dict[str, Path], dest: str | Path,
                        staging: str | Path, git_folder: str | Path, cores: int, echo) -> dict:
    """Stage the inputs and code of round ``round_id``, build them cleanly, pack the archive.
    ``code`` and ``data`` map archive paths to source files. Returns the provenance record."""
    staging, cut = Path(staging), cut_config(config, round_id)
    epoch = source_date_epoch()
    _stage(staging, {**data, **code}, staged_config_text(cut, round_id))
    inputs = tree_files(staging)
    echo(f"clean build of round {round_id} in {staging} ({len(inputs)} input and code files)")
    status = clean_build(staging, cores, echo)
    if status != 0:
        raise InputError([Problem(str(staging), None, None, f"the clean build of round {round_id} failed (exit status {status}); "
                                  "its output is in this rule's log, the staging folder is left for inspection")])
    results, reports = cut["results_dir"], cut["reports_dir"]
    built = tree_files(staging, results) + tree_files(staging, reports)
    outputs = sorted(set(built) - set(inputs))
    files = sorted(set(inputs) | set(outputs))
    digests = {rel: sha256_file(staging / rel) for rel in files}
    prov = provenance(round_id, [r["id"] for r in cut["rounds"]], digests, cut, outputs, git_state(git_folder),
                      render_info(staging / reports / "render_info.json"), epoch)
    extra = {PROVENANCE: _json_bytes(prov), DATAPACKAGE: _json_bytes(datapackage(staging, files, digests, round_id, cut["raw_dir"]))}
    digests.update({name: hashlib.sha256(data).hexdigest() for name, data in extra.items()})
    extra[MANIFEST] = manifest_text(digests).encode("utf-8")
    top = archive_name(round_id)
    members = [Member(f"{top}/{rel}", source=staging / rel, executable=os.access(staging / rel, os.X_OK)) for rel in files]
    members += [Member(f"{top}/{name}", data=data) for name, data in extra.items()]
    write_tar_gz(dest, members, epoch[0])
    shutil.rmtree(staging)
    echo(f"wrote {dest}: {len(members)} files ({len(outputs)} built), {Path(dest).stat().st_size} bytes")
    return prov


def _json_bytes(data) -> bytes:
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Verifying and rebuilding


@dataclass
class Check:
    """Result of comparing files with a manifest."""
    total: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra)

    def lines(self) -> list[str]:
        return ([f"CHANGED  {p}" for p in self.changed] + [f"MISSING  {p}" for p in self.missing]
                + [f"EXTRA    {p}" for p in self.extra])

    def summary(self) -> str:
        return f"{len(self.changed)} changed, {len(self.missing)} missing, {len(self.extra)} extra of {self.total} files in {MANIFEST}"


def compare(expected: dict[str, str], actual: dict[str, str]) -> Check:
    return Check(total=len(expected),
                 changed=sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p]),
                 missing=sorted(expected.keys() - actual.keys()),
                 extra=sorted(actual.keys() - expected.keys()))


def read_archive(path: str | Path) -> tuple[str, dict[str, str], dict[str, str]]:
    """(top folder, manifest {path: sha256}, members {path: sha256}); member paths are relative
    to the top folder (members outside it keep their full name, prefixed '../')."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"{path}: no such file")
    members: dict[str, str] = {}
    manifest_bytes: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for info in tar:
                if info.isdir():
                    continue
                if not info.isfile():
                    members[info.name] = "not a regular file"
                    continue
                data = tar.extractfile(info).read()
                members[info.name] = hashlib.sha256(data).hexdigest()
                if PurePosixPath(info.name).name == MANIFEST and len(PurePosixPath(info.name).parts) <= 2:
                    manifest_bytes[info.name] = data
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveError(f"{path}: not a readable tar.gz archive ({exc})") from None
    if not manifest_bytes:
        raise ArchiveError(f"{path}: no {MANIFEST} in the archive, so it cannot be verified")
    if len(manifest_bytes) > 1:
        raise ArchiveError(f"{path}: more than one {MANIFEST} ({', '.join(sorted(manifest_bytes))})")
    (name, text), = manifest_bytes.items()
    top = str(PurePosixPath(name).parent)
    prefix = "" if top == "." else top + "/"
    try:
        manifest = parse_manifest(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise ArchiveError(f"{path}: {MANIFEST} is not UTF-8 text") from None
    rel = {(m[len(prefix):] if m.startswith(prefix) else f"../{m}"): d for m, d in members.items() if m != name}
    return top, manifest, rel


def verify(path: str | Path) -> Check:
    _, manifest, members = read_archive(path)
    return compare(manifest, members)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rebuild(path: str | Path, cores: int = 4, workdir: str | Path | None = None) -> tuple[Check, Path]:
    """Extract the archive, remove its built outputs, rebuild them with the archive's own code,
    compare their checksums with the manifest. Returns (comparison, extracted folder)."""
    check = verify(path)
    if not check.ok:
        raise ArchiveError(f"{path} does not match its own {MANIFEST} ({check.summary()}); run 'verify' for the list. Not rebuilt.")
    top, manifest, _ = read_archive(path)
    dest = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="niem-rebuild-"))
    dest.mkdir(parents=True, exist_ok=True)
    _progress(f"extracting {path} to {dest}")
    with tarfile.open(path, "r:gz") as tar:
        tar.extractall(dest, filter="data")
    root = dest / top
    try:
        outputs = json.loads((root / PROVENANCE).read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ArchiveError(f"{path}: {PROVENANCE} lacks the list of built files ('outputs')") from None
    for rel in outputs:
        (root / rel).unlink(missing_ok=True)
    log_file, lines = dest / "rebuild.log", []
    _progress(f"rebuilding {len(outputs)} files with the archive's own code (python -m snakemake --cores {cores}); "
              f"full output in {log_file}")

    def echo(line: str) -> None:
        lines.append(line + "\n")
        if re.search(r"\d+ of \d+ steps|[Ee]rror", line):
            _progress(f"  {line.strip()}")

    status = clean_build(root, cores, echo)
    write_text(log_file, "".join(lines))
    if status != 0:
        raise ArchiveError(f"the rebuild failed (snakemake exit status {status}); see {log_file}")
    cfg_dirs = {PurePosixPath(p).parts[0] for p in outputs}
    rebuilt = {rel: sha256_file(root / rel) for d in sorted(cfg_dirs) for rel in tree_files(root, d)
               if rel in outputs or rel not in manifest}
    expected = {rel: manifest[rel] for rel in outputs}
    return compare(expected, rebuilt), dest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m niem.archive", description="Verify or rebuild a round archive (docs/archive.md).")
    sub = parser.add_subparsers(dest="command", required=True)
    p_verify = sub.add_parser("verify", help="check every member against MANIFEST.sha256")
    p_verify.add_argument("archive")
    p_rebuild = sub.add_parser("rebuild", help="rebuild from the archive's own inputs and code and compare with its manifest")
    p_rebuild.add_argument("archive")
    p_rebuild.add_argument("--cores", type=int, default=4, help="cores for the rebuild (default 4)")
    p_rebuild.add_argument("--keep", action="store_true", help="keep the extracted and rebuilt folder")
    p_rebuild.add_argument("--workdir", help="extract and rebuild here instead of a new temporary folder (kept)")
    args = parser.parse_args(argv)
    try:
        if args.command == "verify":
            check = verify(args.archive)
            for line in check.lines():
                print(line)
            print(f"{args.archive}: {'OK, all ' + str(check.total) + ' files match ' + MANIFEST if check.ok else 'FAILED: ' + check.summary()}")
            return 0 if check.ok else 1
        check, dest = rebuild(args.archive, args.cores, args.workdir)
        for line in check.lines():
            print(line.replace("CHANGED ", "DIFFERS ").replace("EXTRA   ", "NEW     ").replace("MISSING ", "NOT BUILT"))
        print(f"{args.archive}: " + (f"rebuild OK, all {check.total} built files match {MANIFEST}" if check.ok
                                     else f"rebuild FAILED: {len(check.changed)} differ, {len(check.missing)} not rebuilt, "
                                          f"{len(check.extra)} new, of {check.total} built files in {MANIFEST}"))
        if args.keep or args.workdir:
            print(f"rebuilt tree kept in {dest}", file=sys.stderr)
        else:
            shutil.rmtree(dest, ignore_errors=True)
        return 0 if check.ok else 1
    except (ArchiveError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
