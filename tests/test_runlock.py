"""The run lock (niem/run/runlock.py): held for the life of the process, refused while another holder
has it, and the only licence to remove Snakemake's (then stale) directory locks."""

import fcntl

import pytest

from niem.run.runlock import RUN_LOCK, SNAKEMAKE_LOCKS, hold_run_lock, remove_stale_snakemake_locks


def test_busy_folder_is_refused_and_names_the_holder(tmp_path):
    (tmp_path / RUN_LOCK).parent.mkdir(parents=True)
    with open(tmp_path / RUN_LOCK, "w") as other:  # another run holding the lock
        other.write("pid 4242, started 2026-01-01 10:00:00\n")
        other.flush()
        fcntl.flock(other, fcntl.LOCK_EX)
        message = hold_run_lock(tmp_path)
        assert message.startswith(f"Another run of this workflow is active in {tmp_path.resolve()} (pid 4242, started")
        with pytest.raises(RuntimeError):
            remove_stale_snakemake_locks(tmp_path)


def test_free_folder_is_taken_and_stale_locks_removed(tmp_path):
    (tmp_path / SNAKEMAKE_LOCKS).mkdir(parents=True)
    for name in ("0.input.lock", "0.output.lock"):
        (tmp_path / SNAKEMAKE_LOCKS / name).write_text("results/x.parquet\n")
    assert hold_run_lock(tmp_path) is None
    assert hold_run_lock(tmp_path) is None  # taking it again in the same process is a no-op
    assert remove_stale_snakemake_locks(tmp_path) == ["0.input.lock", "0.output.lock"]
    assert not list((tmp_path / SNAKEMAKE_LOCKS).iterdir())
    with open(tmp_path / RUN_LOCK) as fh, pytest.raises(BlockingIOError):  # held for the rest of this process
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
