"""One country's readers' report (figures, .qmd from the template, HTML and PDF, in its own work
folder) and its quality-assurance annex for the national researcher (HTML): the clarification
items resolved against the country's own resolution registers. The readers' report leaves the
items out and counts the unresolved ones."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json
from pathlib import Path

from niem.reports.assemble import (QA_ENGINE, country_context, country_figures, country_sections_context, prepare_workdir,
                                   qa_context, read_tables, resolved_clarification, write_qa_annex, write_report)
from niem.reports.content import Labels
from niem.run.runner import log, run


def main(smk):
    country = smk.wildcards.country
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = json.load(fh)
    labels = Labels(codebook, smk.params.rounds, smk.params.countries)
    tables = read_tables({name: smk.input[name] for name in smk.params.tables})
    clarification = resolved_clarification(tables["clarification_items"], list(smk.input.registers), codebook)
    qmd = Path(smk.output.qmd)
    work = prepare_workdir(qmd.parent)
    alt = country_figures(tables, labels, country, work / "figures")
    context = country_context(tables, labels, country, smk.params.engine, smk.params.stable_threshold, alt,
                              clarification, smk.params.pending)
    context.update(country_sections_context(tables, labels, codebook, country, smk.params.stable_threshold))
    write_report("country.qmd.j2", context, qmd, smk.output.html, smk.output.pdf, smk.params.engine)
    log.info("%s: %s and %s rendered with %s", country, smk.output.html, smk.output.pdf, smk.params.engine)
    write_qa_annex(qa_context(clarification, labels, country, smk.params.pending), smk.output.qa_qmd,
                   smk.output.qa_html)
    log.info("%s: %s rendered with %s", country, smk.output.qa_html, QA_ENGINE)


run(main, snakemake)  # noqa: F821
