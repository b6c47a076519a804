"""Concatenate the per-country tables into one table each under results/."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

from niem.run.runner import log, run
from niem.tables import concat_files, write_table


def main(smk):
    for name in smk.params.tables:
        paths = [p for p in smk.input if p.endswith(f"/{name}.parquet")]
        table = concat_files(name, paths)
        write_table(name, table, smk.output[name])
        log.info("%s: %d rows from %d countries", name, table.num_rows, len(paths))


run(main, snakemake)  # noqa: F821
