"""End of a Snakemake run without the scheduler's idle wait.

Snakemake 9's job rate limiter (``--max-jobs-per-timespan``, default 100/1s) starts a
``threading.Timer`` of one timespan on every scheduling pass, to wake the scheduler up again. The
timer thread is not a daemon, so when the last job has finished the interpreter still waits for
the last timer before it exits: up to 1 s added to every run that ran a job, which is most of a
small rebuild's fixed cost (measured: docs/performance.md). Once the run is over (``onsuccess`` /
``onerror``) nothing is left to wake up, so those timers are cancelled.
"""

from __future__ import annotations

import threading

SCHEDULER_MODULE = "snakemake.scheduling.job_scheduler"


def cancel_scheduler_timers() -> int:
    """Cancel the pending wake-up timers started by Snakemake's job scheduler; returns how many.

    Only timers whose function comes from the scheduler's module are touched, so timers of
    anything else in the process keep running.
    """
    cancelled = 0
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer) and getattr(thread.function, "__module__", None) == SCHEDULER_MODULE:
            thread.cancel()
            cancelled += 1
    return cancelled
