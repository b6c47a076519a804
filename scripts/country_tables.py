"""Validate one country's evidence files (all rounds) and write its indicator, score and change tables."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json

from niem.inputs.codebook import build_codebook
from niem.run.runner import log, run
from niem.scoring.change import change_rows
from niem.scoring.country import build_country_tables
from niem.scoring.rules import ScoringRules
from niem.tables import write_table


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = build_codebook(json.load(fh))
    evidence = dict(zip(smk.params.rounds, smk.input.evidence))
    rules = ScoringRules.from_config(smk.params.scoring)
    tables = build_country_tables(smk.wildcards.country, evidence, codebook, rules,
                                  bip_statistics=smk.input.bip_statistics, findings=smk.input.findings,
                                  legal_framework=smk.input.legal_framework,
                                  countries=smk.params.countries)
    # Round-to-round change is per-country work: done here, not in a cross-country job, so that a
    # one-country change does not wait for a change job over all countries.
    tables["change"] = change_rows(tables["indicator_scores"], codebook, rules, smk.params.rounds, smk.params.stable_threshold)
    for name, rows in tables.items():
        write_table(name, rows, smk.output[name])
    log.info("%s: %d rounds, %d indicator rows, %d clarification items", smk.wildcards.country, len(evidence),
             len(tables["indicator_scores"]), len(tables["clarification_items"]))


run(main, snakemake)  # noqa: F821
