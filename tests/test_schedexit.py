"""The scheduler's idle wake-up timers are cancelled at the end of a run; other timers are not."""

import threading
import types

from niem.run.schedexit import SCHEDULER_MODULE, cancel_scheduler_timers


def _timer(module: str) -> threading.Timer:
    wake_up = types.FunctionType((lambda: None).__code__, {"__name__": module})  # a function "defined" in module
    assert wake_up.__module__ == module
    timer = threading.Timer(600, wake_up)
    timer.start()
    return timer


def test_only_the_schedulers_timers_are_cancelled():
    scheduler = [_timer(SCHEDULER_MODULE), _timer(SCHEDULER_MODULE)]
    other = _timer("someone.else")
    try:
        assert cancel_scheduler_timers() == 2
        for timer in scheduler:
            timer.join(timeout=10)
            assert not timer.is_alive()  # a 600 s timer ended: it was cancelled
        assert other.is_alive() and not other.finished.is_set()
    finally:
        other.cancel()
        for timer in [*scheduler, other]:
            timer.cancel()


def test_the_workflow_cancels_them_when_the_run_ends():
    from pathlib import Path

    common = (Path(__file__).resolve().parent.parent / "workflow" / "rules" / "common.smk").read_text(encoding="utf-8")
    for hook in ("onsuccess:", "onerror:"):
        body = common.split(hook, 1)[1].split("\n\n", 1)[0]
        assert "cancel_scheduler_timers()" in body, hook
