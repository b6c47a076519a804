"""Validate the Summary's comparative conclusions (raw/comparative_conclusions.csv) into a table."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

from niem.core.errors import raise_if
from niem.inputs.legal_framework import read_comparative_conclusions
from niem.run.runner import log, run
from niem.tables import write_table


def main(smk):
    rows, problems = read_comparative_conclusions(smk.input.text)
    raise_if(problems)
    write_table("comparative_conclusions", rows, smk.output.table)
    log.info("comparative_conclusions: %d rows", len(rows))


run(main, snakemake)  # noqa: F821
