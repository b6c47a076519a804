"""Validate one country's evidence files (all rounds) and write its indicator and score tables."""

import json

from niem.codebook import build_codebook
from niem.country import build_country_tables
from niem.runner import log, run
from niem.scoring import ScoringRules
from niem.tables import write_table


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = build_codebook(json.load(fh))
    evidence = dict(zip(smk.params.rounds, smk.input.evidence))
    tables = build_country_tables(smk.wildcards.country, evidence, codebook, ScoringRules.from_config(smk.params.scoring),
                                  bip_statistics=smk.input.bip_statistics, findings=smk.input.findings,
                                  countries=smk.params.countries)
    for name, rows in tables.items():
        write_table(name, rows, smk.output[name])
    log.info("%s: %d rounds, %d indicator rows, %d clarification items", smk.wildcards.country, len(evidence),
             len(tables["indicator_scores"]), len(tables["clarification_items"]))


run(main, snakemake)  # noqa: F821
