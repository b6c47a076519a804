"""Pin one round: stage its inputs and the workflow code, build them cleanly, pack the archive
(niem/archive/round_archive.py; docs/archive.md)."""

# Not handed to the warm worker (niem/run/warm.py): a rare job of 4 threads, whose BLAS threads the
# worker could not fork, and whose imports are a small part of its time.

import os

from niem.archive.round_archive import build_round_archive
from niem.run.runner import log, run


def main(smk):
    code = {os.path.relpath(p, smk.params.basedir): p for p in smk.input.code}
    data = {os.path.normpath(p): p for p in smk.input.data}
    build_round_archive(smk.wildcards.round, smk.params.config, code, data, smk.output[0], smk.params.staging,
                        git_folder=smk.params.basedir, cores=smk.threads, echo=log.info)


run(main, snakemake)  # noqa: F821 (injected by Snakemake)
