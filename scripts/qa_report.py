"""A quality-assurance annex (HTML): one country's open clarification items, or (no country
wildcard) the summary over every country. The readers' reports leave these items out."""

import json
from pathlib import Path

import pandas as pd

from niem.reports.assemble import prepare_workdir, qa_context, qa_summary_context, write_report
from niem.reports.content import Labels
from niem.run.runner import log, run


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        labels = Labels(json.load(fh), smk.params.rounds, smk.params.countries)
    items = pd.concat([pd.read_parquet(path) for path in smk.input.clarification], ignore_index=True)
    country = smk.wildcards.get("country")
    context = qa_context(items, labels, country) if country else qa_summary_context(items, labels)
    qmd = Path(smk.output.qmd)
    prepare_workdir(qmd.parent)
    write_report("qa.qmd.j2", context, qmd, smk.output.html, None, smk.params.engine)
    log.info("%s rendered with %s", smk.output.html, smk.params.engine)


run(main, snakemake)  # noqa: F821
