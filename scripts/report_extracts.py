"""Checkpoint: per-country extracts of the cross-country tables that a country report shows."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import pandas as pd

from niem.reports.extracts import benchmark_extract, change_extract, position_extract, split_by_country
from niem.reports.tables import SHARED_EXTRACTS
from niem.run.runner import log, run
from niem.tables import frame_table, write_table


def main(smk):
    countries = smk.params.countries
    frames = {
        "report_benchmark": benchmark_extract(pd.read_parquet(smk.input.overall), pd.read_parquet(smk.input.dimensions)),
        "report_drivers": pd.read_parquet(smk.input.drivers),
        "report_position": position_extract(pd.read_parquet(smk.input.robustness)),
        "report_change": change_extract(pd.read_parquet(smk.input.change), pd.read_parquet(smk.input.intervals)),
    }
    for name, frame in frames.items():
        outputs = dict(zip(countries, smk.output[name]))
        parts = {c: frame for c in countries} if name in SHARED_EXTRACTS else split_by_country(frame, countries)
        for country, part in parts.items():
            write_table(name, frame_table(name, part), outputs[country])
        log.info("%s: %d rows for %d countries", name, len(frame), len(countries))


run(main, snakemake)  # noqa: F821
