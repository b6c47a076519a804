"""Write one country's questionnaire workbook for one round (niem/collect/questionnaire.py)."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

from niem.collect.project import Project, write_questionnaire
from niem.inputs.codebook import load_codebook
from niem.run.runner import log, run


def main(smk):
    project = Project(dict(smk.params.config), load_codebook(smk.input.codebook), root=".")
    write_questionnaire(project, smk.wildcards.country, smk.wildcards.round, smk.output[0])
    log.info("%s %s: questionnaire written", smk.wildcards.country, smk.wildcards.round)


run(main, snakemake)  # noqa: F821 (injected by Snakemake)
