"""A quality-assurance annex (HTML): one country's clarification items resolved against its own
resolution registers (open and re-opened ones, then the resolved ones), or (no country wildcard)
the summary over every country from the clarification queue. The readers' reports leave them out."""

import json
from pathlib import Path

import pandas as pd

from niem.reports.assemble import prepare_workdir, qa_context, qa_summary_context, resolved_clarification, write_report
from niem.reports.content import Labels
from niem.run.runner import log, run


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = json.load(fh)
    labels = Labels(codebook, smk.params.rounds, smk.params.countries)
    country = smk.wildcards.get("country")
    if country:
        items = resolved_clarification(pd.read_parquet(smk.input.clarification), list(smk.input.registers), codebook)
        context = qa_context(items, labels, country, smk.params.pending)
    else:
        context = qa_summary_context(pd.read_parquet(smk.input.summary), labels, smk.params.pending)
    qmd = Path(smk.output.qmd)
    prepare_workdir(qmd.parent)
    write_report("qa.qmd.j2", context, qmd, smk.output.html, None, smk.params.engine)
    log.info("%s rendered with %s", smk.output.html, smk.params.engine)


run(main, snakemake)  # noqa: F821
