"""Change between rounds per country, on the indicators common to both rounds."""

import json

import pyarrow.parquet as pq

from niem.change import change_rows
from niem.codebook import build_codebook
from niem.runner import log, run
from niem.scoring import ScoringRules
from niem.tables import write_table


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = build_codebook(json.load(fh))
    rows = pq.read_table(smk.input.indicators).to_pylist()
    out = change_rows(rows, codebook, ScoringRules.from_config(smk.params.scoring), smk.params.rounds, smk.params.threshold)
    write_table("change", out, smk.output.change)
    log.info("%d change rows", len(out))


run(main, snakemake)  # noqa: F821
