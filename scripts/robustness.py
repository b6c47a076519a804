"""Robustness Monte Carlo: score and rank intervals over method choices, and which choices move ranks."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json

import pyarrow.parquet as pq

from niem.analysis.robustness import build_arrays, draw_choices, monte_carlo
from niem.inputs.codebook import build_codebook
from niem.run.runner import log, run
from niem.scoring.rules import ScoringRules
from niem.tables import write_table


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        codebook = build_codebook(json.load(fh))
    columns = pq.read_table(smk.input.indicators, columns=["country", "round", "indicator_id", "kind", "status", "points"]).to_pydict()
    rules = ScoringRules.from_config(smk.params.scoring)
    mc = smk.params.robustness
    arrays = build_arrays(columns, codebook, sorted(smk.params.countries), smk.params.rounds)
    choices = draw_choices(arrays, rules, mc["draws"], mc["seed"], mc["choices"], mc["step_weight_concentration"],
                           mc["alternative_probability"])
    score_rows, choice_rows = monte_carlo(arrays, rules, choices)
    write_table("robustness_scores", score_rows, smk.output.scores)
    write_table("robustness_choices", choice_rows, smk.output.choices)
    log.info("%d draws over %d countries x %d rounds", len(choices), len(arrays.countries), len(arrays.rounds))


run(main, snakemake)  # noqa: F821
