"""Record which engine renders the reports, and its versions (read by the round archives)."""

from niem.run.warm import delegate

delegate()  # the warm worker runs this job when one is up (niem/run/warm.py); before the heavy imports

from niem.reports.render import engine_versions, write_render_info  # render.py imports no pandas or matplotlib
from niem.run.runner import run


def main(smk):
    write_render_info(smk.output.info, smk.params.engine, engine_versions(smk.params.engine))


run(main, snakemake)  # noqa: F821
