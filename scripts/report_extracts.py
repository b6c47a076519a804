"""Checkpoint: per-country extracts of the cross-country tables that a country report shows."""

import pandas as pd

from niem.reports.extracts import change_extract, position_extract, split_by_country
from niem.run.runner import log, run
from niem.tables import frame_table, write_table


def main(smk):
    countries = smk.params.countries
    frames = {
        "report_position": position_extract(pd.read_parquet(smk.input.robustness)),
        "report_change": change_extract(pd.read_parquet(smk.input.change), pd.read_parquet(smk.input.intervals)),
    }
    for name, frame in frames.items():
        outputs = dict(zip(countries, smk.output[name]))
        for country, part in split_by_country(frame, countries).items():
            write_table(name, frame_table(name, part), outputs[country])
        log.info("%s: %d rows for %d countries", name, len(frame), len(countries))


run(main, snakemake)  # noqa: F821
