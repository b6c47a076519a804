"""The comparative report across all countries (figures, .qmd from the template, HTML and PDF) and
the quality-assurance summary of every country's clarification items (HTML)."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json
from pathlib import Path

import pandas as pd

from niem.reports.assemble import (QA_ENGINE, comparative_context, comparative_figures, comparative_sections_context,
                                   prepare_workdir, qa_summary_context, read_tables, write_qa_annex, write_report)
from niem.reports.content import Labels
from niem.run.runner import log, run


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = json.load(fh)
    labels = Labels(codebook, smk.params.rounds, smk.params.countries)
    tables = read_tables({name: smk.input[name] for name in smk.params.tables})
    qmd = Path(smk.output.qmd)
    work = prepare_workdir(qmd.parent)
    alt = comparative_figures(tables, labels, work / "figures")
    context = {**comparative_context(tables, labels, smk.params.engine, alt, smk.params.pending), **comparative_sections_context(tables, labels, codebook)}
    write_report("comparative.qmd.j2", context, qmd,
                 smk.output.html, smk.output.pdf, smk.params.engine)
    log.info("%s and %s rendered with %s", smk.output.html, smk.output.pdf, smk.params.engine)
    summary = qa_summary_context(pd.read_parquet(smk.input.clarification_summary), labels, smk.params.pending)
    write_qa_annex(summary, smk.output.qa_qmd, smk.output.qa_html)
    log.info("%s rendered with %s", smk.output.qa_html, QA_ENGINE)


run(main, snakemake)  # noqa: F821
