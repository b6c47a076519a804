"""List the configured countries and rounds whose evidence is still pending (niem/collect/rounds.py)."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

from niem.run.runner import log, run
from niem.tables import write_table


def main(smk):
    rows = list(smk.params.pending)  # computed when the workflow starts (common.smk), so a new import reruns this
    write_table("pending_evidence", rows, smk.output[0])
    log.info("%d country-rounds pending%s", len(rows), "".join(f"\n  {r['round']} {r['country']}" for r in rows))


run(main, snakemake)  # noqa: F821 (injected by Snakemake)
