"""One country's report: figures, .qmd from the template, HTML and PDF (in its own work folder)."""

import json
from pathlib import Path

from niem.reports.assemble import (country_context, country_figures, country_sections_context, prepare_workdir, read_tables,
                                   resolved_clarification, write_report)
from niem.reports.content import Labels
from niem.run.runner import log, run


def main(smk):
    country = smk.wildcards.country
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = json.load(fh)
    labels = Labels(codebook, smk.params.rounds, smk.params.countries)
    tables = read_tables({name: smk.input[name] for name in smk.params.tables})
    qmd = Path(smk.output.qmd)
    work = prepare_workdir(qmd.parent)
    alt = country_figures(tables, labels, country, work / "figures")
    clarification = resolved_clarification(tables["clarification_items"], list(smk.input.registers), codebook)
    context = country_context(tables, labels, country, smk.params.engine, smk.params.stable_threshold, alt,
                              clarification, smk.params.pending)
    context.update(country_sections_context(tables, labels, codebook, country, smk.params.stable_threshold))
    write_report("country.qmd.j2", context, qmd, smk.output.html, smk.output.pdf, smk.params.engine)
    log.info("%s: %s and %s rendered with %s", country, smk.output.html, smk.output.pdf, smk.params.engine)


run(main, snakemake)  # noqa: F821
