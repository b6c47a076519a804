"""Validate config/codebook.yaml and write it as JSON, which every later job reads quickly."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json

from niem.core.io import write_text
from niem.core.yamlio import load_yaml
from niem.inputs.codebook import load_codebook
from niem.run.runner import log, run


def main(smk):
    codebook = load_codebook(smk.input.codebook)  # raises InputError naming line and field
    data, _ = load_yaml(smk.input.codebook)
    write_text(smk.output.json, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    log.info("codebook %s: %d indicators", codebook.version, len(codebook.indicators))


run(main, snakemake)  # noqa: F821 (injected by Snakemake)
