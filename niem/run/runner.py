"""Glue for the thin rule scripts: logging to the rule's log file and clean failure on bad input."""

from __future__ import annotations

import logging
import os
import sys
import time

from ..core.errors import InputError
from .warm import IN_CHILD

log = logging.getLogger("niem")


def run(main, snakemake) -> None:
    """Run ``main(snakemake)``; bad input ends the job with one clear message and exit status 1."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if snakemake.log:
        handlers.append(logging.FileHandler(snakemake.log[0], mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format=f"[{snakemake.rule}] %(message)s", handlers=handlers, force=True)
    start = time.perf_counter()
    try:
        main(snakemake)
    except InputError as exc:
        log.error("%s", exc)
        sys.exit(1)
    # The benchmark reads "done in"; "warm worker" tells which jobs skipped their imports.
    log.info("done in %.2f s%s", time.perf_counter() - start, " (warm worker)" if os.environ.get(IN_CHILD) else "")
