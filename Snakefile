# Raw per-country evidence -> validated parquet indicator tables -> scores -> change models and
# data-availability audits -> Quarto country and comparative reports.
#   everything:            snakemake --cores 4
#   one country's report:  snakemake --cores 4 reports/country/BG.html
#   pin a round:           snakemake --cores 4 archive_2021
from snakemake.utils import min_version

min_version("9.0")


# config/config.yaml is read (safely) and validated in workflow/rules/common.smk; there is no
# `configfile:` directive because Snakemake's own YAML loader also runs YTE templates.


include: "workflow/rules/common.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/quality.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/reports.smk"
include: "workflow/rules/archive.smk"
include: "workflow/rules/collect.smk"


rule all:
    default_target: True
    input:
        rules.tables.input,
        rules.quality.input,
        rules.analysis.input,
        rules.reports.input,
        rules.pending_evidence.output,
