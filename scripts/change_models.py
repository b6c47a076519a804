"""Change drivers, average-change models, paired tests, convergence and per-country change
intervals, from the indicator and change tables (statsmodels is imported only in this job)."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import pandas as pd

from niem.analysis.models import (
    change_drivers,
    change_models,
    convergence,
    country_change_intervals,
    paired_indicators,
    paired_tests,
)
from niem.analysis.tables import write_frames
from niem.run.runner import run
from niem.scoring.rules import ScoringRules


def main(smk):
    rules = ScoringRules.from_config(smk.params.scoring)
    settings = smk.params.analysis
    alpha = 1 - settings["confidence_level"]
    boot = settings["convergence"]
    ind = pd.read_parquet(smk.input.indicators, columns=["country", "round", "indicator_id", "dimension", "step", "kind", "status", "points"])
    change = pd.read_parquet(smk.input.change)
    paired = paired_indicators(ind, smk.params.rounds, rules)
    write_frames({
        "change_drivers": change_drivers(paired),
        "change_models": change_models(change, paired, rules, alpha),
        "paired_tests": paired_tests(change, alpha),
        "convergence": convergence(change, boot["bootstrap_draws"], boot["seed"], alpha),
        "country_change_intervals": country_change_intervals(paired, alpha),
    }, smk.output)


run(main, snakemake)  # noqa: F821
