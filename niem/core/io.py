"""Atomic file output: a job either leaves a complete file or none."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
from pathlib import Path

from .errors import InputError, Problem


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process whose parent died too stays a zombie until reaped (in a container whose
    # PID 1 does not reap, for good): it holds its PID but writes nothing any more.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of ``path`` left by a writer that was killed (its process is gone)."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[1]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.
    A reader never sees a half-written file, and a killed writer leaves at most a hidden
    temporary file, removed by the next write of the same path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def source_date_epoch(default: int, environ=os.environ) -> tuple[int, str]:
    """The timestamp to write into outputs that carry one (archive members, PDFs) and where it came
    from: SOURCE_DATE_EPOCH when set, else ``default`` ('default'). A value that is not a whole
    number of seconds is an error, not silently replaced."""
    value = environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return default, "default"
    if not value.strip().isdigit():
        raise InputError([Problem("environment variable SOURCE_DATE_EPOCH", None, None,
                                  f"must be a whole number of seconds since 1970-01-01 UTC, got {value!r}")])
    return int(value), "SOURCE_DATE_EPOCH"


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in blocks (archives, result comparisons)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
