"""Write one country's clarification workbook for one round from the queue (niem/collect/clarify.py)."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

from niem.collect.clarify import write_clarification
from niem.collect.project import Project
from niem.inputs.codebook import load_codebook
from niem.run.runner import log, run


def main(smk):
    project = Project(dict(smk.params.config), load_codebook(smk.input.codebook), root=".")
    n = write_clarification(project, smk.input.queue, smk.wildcards.country, smk.wildcards.round, smk.output[0])
    log.info("%s %s: %d open items", smk.wildcards.country, smk.wildcards.round, n)


run(main, snakemake)  # noqa: F821 (injected by Snakemake)
