"""The warm worker (niem/run/warm.py): a job handed to it runs as in its own process (working folder,
environment, arguments, output, exit status, signals), stale code never reaches it, and a run
leaves no server behind."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from niem.run import warm

PACKAGE = Path(warm.__file__).resolve().parents[1]

JOB = textwrap.dedent("""\
    import os, signal, sys, time
    from niem.run.warm import delegate
    delegate()
    where = "child" if os.environ.get("NIEM_WARM_CHILD") else "own process"
    print("ran in", where, "args", sys.argv[1:], "pid", os.getpid(), flush=True)
    print("stderr line", file=sys.stderr, flush=True)
    if os.environ.get("WAIT_FOR_TERM"):
        signal.signal(signal.SIGTERM, lambda *a: (open("term.txt", "w").write("got SIGTERM"), sys.exit(7)))
    with open("job.txt", "w") as fh:
        fh.write(os.environ.get("JOB_VALUE", "") + "\\n" + str(os.getpid()))
    if os.environ.get("WAIT_FOR_TERM"):
        time.sleep(60)
    sys.exit(int(os.environ.get("EXIT", "0")))
""")


# What Snakemake sets for a job of one thread (the worker refuses to fork with BLAS threads running).
SNAKEMAKE_JOB_ENV = {name: "1" for name in warm.THREAD_VARS}


def _job(folder: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "job.py", *args], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(PACKAGE.parent), warm.SWITCH: "1",
                                 **SNAKEMAKE_JOB_ENV, **env})


def _server_files(folder: Path, suffix: str = ".sock") -> list[Path]:
    """The warm worker's files (sockets, or with suffix "" every file) of the run in ``folder``."""
    return list(Path(warm.socket_dir()).glob(f"{warm._folder_hash(str(folder))}-*{suffix}"))


def _wait_for(predicate, seconds=60.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def served(tmp_path):
    """A job folder whose first job has started the warm worker; the worker is stopped afterwards."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "job.py").write_text(JOB, encoding="utf-8")
    first = _job(folder, "first")
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert "ran in own process" in out  # no server yet: the first job runs itself and starts one
    assert _wait_for(lambda: _server_files(folder)), "the first job started no warm worker"
    (folder / "job.txt").unlink()  # the next job's own
    yield folder
    warm.shutdown(str(folder))
    assert _wait_for(lambda: not _server_files(folder), 20), "the warm worker did not stop"


def test_a_job_runs_in_the_worker_as_in_its_own_process(served):
    job = _job(served, "--flag", "x y", JOB_VALUE="second", EXIT="3")
    out, err = job.communicate(timeout=60)
    assert job.returncode == 3  # the job's exit status
    assert "ran in child args ['--flag', 'x y']" in out  # its arguments, its standard output
    assert "stderr line" in err
    value, pid = (served / "job.txt").read_text().split("\n")
    assert value == "second"  # its environment and working folder
    assert int(pid) != job.pid  # and it ran in the worker's child, not in the process Snakemake started


def test_signals_reach_the_job(served):
    job = _job(served, WAIT_FOR_TERM="1")
    assert _wait_for(lambda: (served / "job.txt").exists())
    job.send_signal(signal.SIGTERM)  # what Snakemake sends to stop a job
    job.communicate(timeout=30)
    assert (served / "term.txt").read_text() == "got SIGTERM"
    assert job.returncode == 7


def test_a_job_whose_process_is_killed_stops(served):
    job = _job(served, WAIT_FOR_TERM="1")
    assert _wait_for(lambda: (served / "job.txt").exists())
    child = int((served / "job.txt").read_text().split("\n")[1])
    job.kill()  # SIGKILL: nothing can be forwarded
    job.wait(timeout=30)

    def gone():
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return True
        return Path(f"/proc/{child}/stat").read_text().split(")")[1].split()[0] == "Z"  # a zombie has ended

    assert _wait_for(gone, 20), "the job's child in the worker outlived its process"


def _tree(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("x = 1\n")
    (root / "site").mkdir()
    return root


def test_the_server_key_changes_with_the_code_folder_and_threads(tmp_path):
    root = _tree(tmp_path)
    key = lambda workdir="w", env=None: warm.server_key(str(workdir), env or {}, str(root / "pkg"), str(root / "site"))  # noqa: E731
    before = key()
    assert key() == before
    assert key(workdir="other") != before
    assert key(env={"OPENBLAS_NUM_THREADS": "4"}) != before
    (root / "pkg" / "a.py").write_text("x = 2\n")  # an edit (same size; the time changes)
    os.utime(root / "pkg" / "a.py", ns=(1, 1))
    assert key() != before
    edited = key()
    (root / "site" / "newpkg").mkdir()  # an install
    os.utime(root / "site", ns=(2, 2))
    assert key() != edited


def test_threads_that_fork_would_break_are_named():
    code = textwrap.dedent("""\
        import threading, time
        from niem.run.warm import unsafe_threads
        assert unsafe_threads() == [], unsafe_threads()
        stop = threading.Event()
        t = threading.Thread(target=stop.wait); t.start()
        print(len(unsafe_threads()))
        stop.set(); t.join()
        for _ in range(500):  # the OS thread may outlive join() by a moment
            if not unsafe_threads():
                break
            time.sleep(0.01)
        print(len(unsafe_threads()))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)}).stdout
    assert out.split() == ["1", "0"]


def test_the_worker_is_off_unless_switched_on(tmp_path):
    (tmp_path / "job.py").write_text(JOB, encoding="utf-8")
    job = _job(tmp_path, **{warm.SWITCH: "0"})
    out, _ = job.communicate(timeout=60)
    assert "ran in own process" in out
    time.sleep(1)
    assert not _server_files(tmp_path, ""), "a server was started"


def test_a_run_uses_the_worker_and_leaves_none_behind(tiny_built):
    logs = [log.read_text(encoding="utf-8") for log in (tiny_built / "logs").rglob("*.log")]
    assert sum("(warm worker)" in text for text in logs) >= len(logs) // 2  # all but the first few jobs
    assert _wait_for(lambda: not _server_files(tiny_built), 20), "the run's warm worker is still up after the run"


def test_a_run_with_nothing_to_do_starts_no_worker(tiny_built, tmp_path):
    import shutil

    from workflow_helpers import snakemake

    work = tmp_path / "copy"
    shutil.copytree(tiny_built, work, symlinks=True)
    proc = snakemake(work)
    assert "Nothing to be done" in proc.stdout + proc.stderr
    assert not _server_files(work, ""), "a no-op run started a server"


def test_a_job_the_server_does_not_take_runs_in_its_own_process(tmp_path, monkeypatch):
    import socket
    import threading

    (tmp_path / "job.py").write_text(JOB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    warm._private_dir()
    path = warm._this_socket(SNAKEMAKE_JOB_ENV)  # where the job will look
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def hang_up():  # a server that is going away: accepts, reads nothing, closes
        conn, _ = listener.accept()
        conn.close()

    thread = threading.Thread(target=hang_up)
    thread.start()
    try:
        job = _job(tmp_path, EXIT="0")
        out, err = job.communicate(timeout=60)
    finally:
        thread.join(timeout=10)
        listener.close()
        os.unlink(path)
    assert job.returncode == 0, err
    assert "ran in own process" in out


def test_a_server_that_would_fork_with_threads_refuses_and_jobs_run_themselves(tmp_path, monkeypatch):
    (tmp_path / "job.py").write_text(JOB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    warm._private_dir()
    path = warm._this_socket(SNAKEMAKE_JOB_ENV)
    open(path + ".starting", "x").close()  # as _start_server leaves it for the server
    monkeypatch.setattr(warm, "unsafe_threads", lambda: ["openblas"])
    try:
        warm.serve(path)  # returns at once: no socket, no fork
        assert "threads ['openblas']" in Path(path + ".refused").read_text(encoding="utf-8")
        assert not os.path.exists(path) and not os.path.exists(path + ".starting")
        job = _job(tmp_path)
        out, err = job.communicate(timeout=60)
        assert job.returncode == 0, err
        assert "ran in own process" in out
        assert not os.path.exists(path + ".starting"), "a job tried to start a server for code that refused"
    finally:
        for leftover in (path + ".refused", warm._log_path(path)):
            if os.path.exists(leftover):
                os.unlink(leftover)


def test_a_server_stopped_by_sigterm_removes_its_socket(served):
    sockets = _server_files(served)
    assert len(sockets) == 1
    log = sockets[0].with_suffix(".log").read_text(encoding="utf-8")
    server = int(log.split("warm worker ")[1].split()[0])
    os.kill(server, signal.SIGTERM)
    assert _wait_for(lambda: not sockets[0].exists(), 20), "a stale socket was left behind"
    job = _job(served, EXIT="0")
    out, err = job.communicate(timeout=60)
    assert job.returncode == 0, err
    assert "ran in own process" in out  # no server: the job runs itself (and starts a new one)


def test_without_proc_the_threads_are_presumed_unsafe(monkeypatch):
    real = os.listdir

    def no_proc(path="."):
        if str(path).startswith("/proc"):
            raise FileNotFoundError(path)
        return real(path)

    monkeypatch.setattr(os, "listdir", no_proc)
    assert warm.unsafe_threads() == ["threads not countable without /proc"]  # the server refuses, not forks blind


def test_the_end_of_a_run_clears_a_killed_servers_socket(tmp_path):
    import socket

    warm._private_dir()
    stale = warm.socket_path(str(tmp_path), "0" * 24)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(stale)  # bound, never listening, closed: what a SIGKILLed server leaves
    dead.close()
    assert os.path.exists(stale)
    assert warm.shutdown(str(tmp_path)) == 0
    assert not os.path.exists(stale)
