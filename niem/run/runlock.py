"""One run of the workflow at a time per project folder, and no manual unlock after a crash.

Snakemake's own directory lock is a set of files under ``.snakemake/locks``: it survives a killed
run, so the next run refuses until someone types ``snakemake --unlock`` (which is unsafe to type
while another run is still going). The Snakefile therefore also takes an operating-system lock
(``flock``) on ``.snakemake/niem-run.lock`` for the life of the Snakemake process. The kernel
releases it when the process ends, however it ends. So:

* if the lock is held, another run is alive: this one stops at once with a message naming it;
* if the lock is free, no run is alive, and any Snakemake lock files are left over from a killed
  run: they are removed, as ``snakemake --unlock`` would.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: fall back to Snakemake's own lock only
    fcntl = None

RUN_LOCK = Path(".snakemake") / "niem-run.lock"
SNAKEMAKE_LOCKS = Path(".snakemake") / "locks"
_held: dict[Path, object] = {}  # lock path -> open lock file; keeping it open keeps the lock until the process ends


def hold_run_lock(workdir: str | Path = ".") -> str | None:
    """Take the folder's run lock for the rest of this process. Returns None when taken (or when
    the platform has no flock), else a message naming the run that holds it."""
    path = (Path(workdir) / RUN_LOCK).resolve()
    if fcntl is None or path in _held:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "unknown process"
        fh.close()
        return (f"Another run of this workflow is active in {Path(workdir).resolve()} ({holder}).\n"
                "Wait for it to finish, or stop it, then run again. This run changed nothing.")
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    fh.flush()
    _held[path] = fh
    return None


def remove_stale_snakemake_locks(workdir: str | Path = ".") -> list[str]:
    """Remove Snakemake's lock files; call only while holding the run lock (they are then stale)."""
    if fcntl is None:
        return []
    if (Path(workdir) / RUN_LOCK).resolve() not in _held:
        raise RuntimeError("remove_stale_snakemake_locks needs this folder's run lock (hold_run_lock)")
    removed = []
    for path in sorted((Path(workdir) / SNAKEMAKE_LOCKS).glob("*.lock")):
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed
