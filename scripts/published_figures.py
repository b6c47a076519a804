"""Recompute every published NIEM figure from the pipeline's tables (published vs recomputed)."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json

import pandas as pd

from niem.analysis.published import evaluate, load_register, results_from_tables
from niem.inputs.codebook import build_codebook
from niem.run.runner import log, run
from niem.tables import write_table


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = build_codebook(json.load(fh))
    frames = {name: pd.read_parquet(path) for name, path in smk.input.items() if name not in ("codebook", "register")}
    figures, scope = load_register(smk.input.register)
    rows = evaluate(figures, results_from_tables(frames, frames["change"], codebook), scope)
    write_table("published_figures_check", rows, smk.output.check)
    failed = [r["figure_id"] for r in rows if r["agrees"] is False]
    skipped = sum(r["agrees"] is None for r in rows)
    log.info("%d of %d published figures agree, %d not computed for this configuration%s",
             sum(r["agrees"] is True for r in rows), len(rows), skipped,
             f"; DISAGREE: {', '.join(failed)}" if failed else "")


run(main, snakemake)  # noqa: F821
