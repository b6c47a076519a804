"""A warm worker for the rule scripts: jobs stop paying for Python's imports.

Every rule script is a fresh Python process that imports pandas, pyarrow, matplotlib and the niem
package before it computes anything: 27 % of the core time of a full rebuild (docs/performance.md).
Here one server process per run imports all of them once; every job hands itself to that server,
which forks a child (a copy of the warm process) to run it.

The job's own process (the *client*) stays what Snakemake started and waits on: it passes its
standard input, output and error (the file descriptors themselves), its working directory,
environment, ``sys.argv`` and ``sys.path`` to the server; the child takes them over and runs the
same script file (Snakemake's generated ``.snakemake/scripts/...`` file, preamble included) as
``__main__``; the client forwards the signals Snakemake sends (SIGTERM, SIGINT, ...) to the child
and exits with the child's exit status. A child whose client dies stops too.

Safe by construction rather than by care:
* stale code: the socket's name is a hash of the run's folder, the Python executable, the thread
  settings Snakemake gives jobs and the size and time of every file of the niem package and of the
  site-packages folder, so after an edit or an install the next job finds no server for the new
  code and a new one is started (the old one ends when idle);
* fork safety: the server forks with no thread running but jemalloc's, which takes its locks
  around fork() (the BLAS thread count is the jobs', 1; checked at start-up from /proc: a server
  with other threads, or on a system without /proc, serves nothing);
* no server (first job, a server that died, switched off with ``warm_worker: false``, not a local
  run): the job runs in its own process as before, so the worker can only save time.
Snakemake's main process starts the server when jobs are about to run (``start_for_run``, from
``onstart`` in workflow/rules/common.smk; a run with nothing to do pays nothing), and the first jobs
run in their own processes while it imports (~2.5 s); a job that finds no server starts one. The
server ends when that process exits, or after ``IDLE_SECONDS`` without a job.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import struct
import sys
import time

SWITCH = "NIEM_WARM_WORKER"  # "1" in jobs of a local run with warm_worker on (common.smk)
IN_CHILD = "NIEM_WARM_CHILD"  # set in the server and its children: never delegate again
IDLE_SECONDS = 120
START_GRACE_SECONDS = 60  # a server that has not come up in this time is presumed dead
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GOTO_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)
_HEADER = struct.Struct("!I")


# --- where the server listens --------------------------------------------------------------------

def code_stamp(package_dir: str, site_dir: str) -> list:
    """Size and modification time of every file of the package and of the site-packages folder
    itself (an install or removal changes it)."""
    stamp = []
    for root, dirs, files in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            st = os.stat(os.path.join(root, name))
            stamp.append([os.path.relpath(os.path.join(root, name), package_dir), st.st_size, st.st_mtime_ns])
    if os.path.isdir(site_dir):
        stamp.append(["<site-packages>", os.stat(site_dir).st_mtime_ns])
    return stamp


def server_key(workdir: str, env: dict, package_dir: str, site_dir: str) -> str:
    """The name of the server that may run a job: the same only for the same folder, interpreter,
    thread settings and code."""
    facts = [os.path.realpath(workdir), sys.executable, sys.version, [env.get(v) for v in THREAD_VARS],
             code_stamp(package_dir, site_dir)]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:24]


def socket_dir() -> str:
    import tempfile

    return os.path.join(tempfile.gettempdir(), f"niem-warm-{os.getuid()}")


def socket_path(workdir: str, key: str) -> str:
    """<folder hash>-<key>.sock: the end of a run stops every server of its folder (``shutdown``)."""
    return os.path.join(socket_dir(), f"{_folder_hash(workdir)}-{key}.sock")


def _folder_hash(workdir: str) -> str:
    return hashlib.sha256(os.path.realpath(workdir).encode()).hexdigest()[:12]


def _this_socket(env: dict | None = None) -> str:
    import sysconfig

    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    key = server_key(os.getcwd(), os.environ if env is None else env, package_dir, sysconfig.get_paths()["purelib"])
    return socket_path(os.getcwd(), key)


def _private_dir() -> str | None:
    """The socket folder, only if it is ours and private (never trust someone else's server)."""
    path = socket_dir()
    os.makedirs(path, mode=0o700, exist_ok=True)
    st = os.stat(path)
    return path if st.st_uid == os.getuid() and not st.st_mode & 0o077 else None


# --- the job's side ------------------------------------------------------------------------------

def delegate() -> None:
    """Called first in every rule script. Returns when this process is to run the job itself;
    otherwise the job runs in the warm server and this process exits with its status."""
    if os.environ.get(SWITCH) != "1" or os.environ.get(IN_CHILD):
        return
    try:
        if _private_dir() is None:
            return
        path = _this_socket()
    except OSError:
        return
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        if not os.path.exists(path + ".refused"):  # a server for this code said it cannot serve
            _start_server(path)
        return
    status = run_in_server(conn, sys.argv[0])
    if status is not None:
        sys.exit(status)
    # The server went away before it took the job (e.g. it was stopping): run it here.


def start_for_run() -> None:
    """Start this folder's server from Snakemake's main process when jobs are about to run (its
    ``onstart``); stopped when that process exits. Jobs of one thread get the environment below
    from Snakemake, so they find this server by its key."""
    import atexit

    env = {**os.environ, **{name: "1" for name in THREAD_VARS}}
    try:
        if _private_dir() is None:
            return
        path = _this_socket(env)
    except OSError:
        return
    if not os.path.exists(path) and not os.path.exists(path + ".refused"):
        _start_server(path, env)
    atexit.register(shutdown, os.getcwd())


def _start_server(path: str, env: dict | None = None) -> None:
    """Start a server in the background (at most one per key: the first to get here)."""
    import subprocess

    marker = path + ".starting"
    try:
        if os.path.exists(marker) and time.time() - os.stat(marker).st_mtime > START_GRACE_SECONDS:
            os.unlink(marker)  # left by a server that never came up
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        return  # another job is starting it
    _remove(path + ".stop")  # meant for an earlier server
    with open(_log_path(path), "ab") as log:
        subprocess.Popen([sys.executable, "-m", "niem.run.warm", "serve", path], stdin=subprocess.DEVNULL,
                         stdout=log, stderr=log, start_new_session=True,
                         env={**(os.environ if env is None else env), IN_CHILD: "1"})


def _send(conn: socket.socket, message: dict, fds: list[int] = ()) -> None:
    body = json.dumps(message).encode()
    socket.send_fds(conn, [_HEADER.pack(len(body))], list(fds))
    conn.sendall(body)


def _reply(conn: socket.socket, message: dict) -> None:
    """A message from the job's child to the job's process: one JSON line."""
    conn.sendall((json.dumps(message) + "\n").encode())


def _next_reply(replies) -> dict | None:
    """The next ``_reply`` from the child; None when the connection ended first."""
    try:
        line = replies.readline()
    except OSError:
        return None
    return json.loads(line) if line else None


def run_in_server(conn: socket.socket, script: str) -> int | None:
    """Have the server run ``script`` as this process would; returns the job's exit status, or
    None if the server did not take the job (nothing of it has run)."""
    replies = conn.makefile("r", encoding="utf-8")
    try:
        _send(conn, {"op": "run", "script": script, "argv": sys.argv, "path": sys.path, "cwd": os.getcwd(),
                     "env": dict(os.environ)}, [0, 1, 2])
    except OSError:
        pass  # the server is gone: no reply below
    taken = _next_reply(replies)
    if taken is None:
        conn.close()
        return None
    child = taken["pid"]
    forwarded = []

    def forward(signum, frame):
        forwarded.append(signum)
        try:
            os.kill(child, signum)
        except ProcessLookupError:
            pass

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forward)
    done = _next_reply(replies)
    if done is not None:
        return done["status"]
    if forwarded:  # the child died of the signal we passed on: so does this process
        signal.signal(forwarded[-1], signal.SIG_DFL)
        os.kill(os.getpid(), forwarded[-1])
    return _lost(f"the job's process {child} in the warm worker ended without an exit status")


def _lost(what: str) -> int:
    print(f"niem warm worker: {what} (see docs/performance.md)", file=sys.stderr)
    return 1


# --- the server's side ---------------------------------------------------------------------------

def preload() -> None:
    """Import what the rule scripts import: the whole niem package and, through it, pandas,
    pyarrow, matplotlib, statsmodels, jsonschema."""
    import importlib
    import pkgutil

    import niem

    for module in pkgutil.walk_packages(niem.__path__, "niem."):
        if not module.name.endswith(("__main__", ".warm")):
            importlib.import_module(module.name)


# Threads that may be running when the server forks: jemalloc (pyarrow's allocator) starts a
# background thread, and takes its own locks around fork() (its pthread_atfork handlers).
FORK_SAFE_THREADS = {"jemalloc_bg_thd"}


def unsafe_threads() -> list[str]:
    """Names of the threads, other than this one, that a fork() would leave half-copied."""
    import threading

    try:
        names = []
        for task in os.listdir("/proc/self/task"):
            if int(task) != threading.get_native_id():
                with open(f"/proc/self/task/{task}/comm", encoding="utf-8") as fh:
                    names.append(fh.read().strip())
    except OSError:  # no /proc (not Linux): native threads (BLAS) cannot be seen, so assume some
        return ["threads not countable without /proc"]
    return [name for name in names if name not in FORK_SAFE_THREADS]


def _log_path(socket_file: str) -> str:
    """The server's log, beside its socket; removed when the server ends normally."""
    return socket_file[:-len(".sock")] + ".log"


def _remove(*paths: str) -> None:
    for path in paths:
        if os.path.exists(path):
            os.unlink(path)


def serve(path: str, idle_seconds: float = IDLE_SECONDS) -> None:
    started = time.perf_counter()
    # Stopped by SIGTERM or SIGHUP (SIGINT raises KeyboardInterrupt anyway): leave through the finally
    # below, which removes the socket; the children of running jobs go on and report to their jobs.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sys.exit(0))
    try:
        preload()
        others = unsafe_threads()
        if others:  # fork() copies only the calling thread: refuse rather than risk a held lock
            from niem.core.io import write_text

            write_text(path + ".refused", f"warm worker not started: threads {others} after the imports\n")
            return
        if os.path.exists(path + ".stop"):  # the run ended while this server was importing
            _remove(path + ".stop", _log_path(path))
            return
        _remove(path)  # a dead server's socket: the marker says we are the one starting
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(64)
    finally:
        os.unlink(path + ".starting")
    print(f"warm worker {os.getpid()} ready in {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)
    import select

    children: set[int] = set()
    last_job = time.monotonic()
    try:
        while True:
            children -= _reaped(children)
            ready, _, _ = select.select([listener], [], [], 1.0)
            if not ready:
                if not children and time.monotonic() - last_job > idle_seconds:
                    return
                continue
            conn, _ = listener.accept()
            try:
                request, fds = _receive(conn)
            except (OSError, ValueError) as exc:  # a client that died before it asked: nothing to run
                print(f"warm worker: unreadable request ({exc})", file=sys.stderr, flush=True)
                conn.close()
                continue
            if request.get("op") == "shutdown":
                return
            last_job = time.monotonic()
            pid = os.fork()
            if pid == 0:
                listener.close()
                _run_child(conn, request, fds)  # never returns
            children.add(pid)
            conn.close()
            for fd in fds:
                os.close(fd)
    finally:
        listener.close()
        _remove(path, _log_path(path))  # the log matters only if it never got here


def _reaped(children: set[int]) -> set[int]:
    done = set()
    for pid in children:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                done.add(pid)
        except ChildProcessError:
            done.add(pid)
    return done


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    conn.settimeout(10)  # a client sends its request at once; never let one hold up the others
    header, fds, _, _ = socket.recv_fds(conn, _HEADER.size, 3)
    header += _recv_exactly(conn, _HEADER.size - len(header))
    (size,) = _HEADER.unpack(header)
    request = json.loads(_recv_exactly(conn, size))
    conn.settimeout(None)
    if request.get("op") == "run" and len(fds) != 3:
        raise ValueError(f"{len(fds)} file descriptors, expected 3")
    return request, fds


def _recv_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ValueError("connection closed mid-request")
        data += chunk
    return data


def _run_child(conn: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked child: become the job's process and run its script."""
    import runpy
    import threading
    import traceback

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ[IN_CHILD] = "1"
    sys.argv[:] = request["argv"]
    sys.path[:] = request["path"]
    _reply(conn, {"pid": os.getpid()})

    def watch_client():  # the client never writes again: end of file means it is gone
        try:
            conn.recv(1)
        except OSError:
            pass
        os._exit(1)

    threading.Thread(target=watch_client, daemon=True).start()
    status = 0
    try:
        runpy.run_path(request["script"], run_name="__main__")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            status = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            status = 1
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        import atexit

        atexit._run_exitfuncs()  # what a normal exit runs (logging's flush and close)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    try:
        _reply(conn, {"status": status})
    finally:
        os._exit(status)


def shutdown(workdir: str = ".") -> int:
    """Stop the servers of this folder (the run is over); returns how many were running."""
    import glob

    stopped = 0
    folder = os.path.join(socket_dir(), _folder_hash(workdir))
    for marker in glob.glob(f"{folder}-*.sock.starting"):  # still importing: it stops when done
        from niem.core.io import write_text

        write_text(marker[:-len(".starting")] + ".stop", "")
        stopped += 1
    for path in glob.glob(f"{folder}-*.sock"):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(path)
            _send(conn, {"op": "shutdown"})
            stopped += 1
        except ConnectionRefusedError:  # a killed server's socket (SIGKILL leaves it): clear it
            _remove(path, _log_path(path))
        except OSError:
            pass
        finally:
            conn.close()
    return stopped


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2])
