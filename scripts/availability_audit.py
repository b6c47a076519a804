"""Data-availability audits: status counts per country x round x dimension x step x kind, per
indicator, their change between rounds, and the availability of the BIP statistics."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

import json

import pandas as pd

from niem.analysis.audit import (
    availability_audit,
    availability_change,
    bip_statistics_availability,
    indicator_availability,
)
from niem.analysis.tables import write_frames
from niem.run.runner import run

COLUMNS = ["country", "round", "indicator_id", "dimension", "step", "kind", "status"]


def main(smk):
    with open(smk.input.codebook, encoding="utf-8") as fh:
        themes = {i["id"]: i["theme"] for i in json.load(fh)["indicators"]}
    ind = pd.read_parquet(smk.input.indicators, columns=COLUMNS)
    frames = {
        "availability_audit": availability_audit(ind),
        "indicator_availability": indicator_availability(ind, themes),
        "availability_change": availability_change(ind, smk.params.rounds),
        "bip_statistics_availability": bip_statistics_availability(pd.read_parquet(smk.input.bip_statistics)),
    }
    write_frames(frames, smk.output)


run(main, snakemake)  # noqa: F821
