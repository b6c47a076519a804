"""Combine the per-country clarification items into one queue per round (parquet and CSV) and a
summary; items confirmed in the resolution registers (raw/clarifications/) show as resolved."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json
from collections import Counter

from niem.core.io import write_text
from niem.core.safety import csv_text
from niem.inputs.codebook import build_codebook
from niem.quality.clarification import RESOLVED, resolve_from_registers, summary_rows
from niem.run.runner import log, run
from niem.tables import TABLES, concat_files, write_table


def main(smk):
    items = concat_files("clarification_items", list(smk.input.country_items)).to_pylist()
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = build_codebook(json.load(fh))
    items = resolve_from_registers(items, list(smk.input.registers), codebook)
    columns = TABLES["clarification_items"].column_names
    for round_id, table_path, csv_path in zip(smk.params.rounds, smk.output.tables, smk.output.csv):
        rows = [it for it in items if it["round"] == round_id]
        write_table("clarification_items", rows, table_path)
        write_text(csv_path, csv_text(columns, rows))
        log.info("round %s: %d open items, %d resolved", round_id, sum(it["status"] != RESOLVED for it in rows),
                 sum(it["status"] == RESOLVED for it in rows))
    write_table("clarification_summary", summary_rows(items, smk.params.countries, smk.params.rounds), smk.output.summary)
    for code, n in sorted(Counter(it["issue_code"] for it in items).items()):
        log.info("%s: %d", code, n)


run(main, snakemake)  # noqa: F821
