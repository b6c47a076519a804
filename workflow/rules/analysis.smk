# Data-availability audits, round-to-round change models, robustness of scores (issue 4), and the
# check of the published NIEM figures. Four jobs: the audits (pandas), the change models (the only
# job importing statsmodels), the robustness Monte Carlo (numpy) and the published-figures check.
# Methods and tables: docs/analysis.md.

AVAILABILITY_TABLES = ["availability_audit", "indicator_availability", "availability_change", "bip_statistics_availability"]
CHANGE_MODEL_TABLES = ["change_drivers", "change_models", "paired_tests", "convergence", "country_change_intervals"]


rule availability_audit:
    input:
        codebook=rules.compile_codebook.output.json,
        indicators=f"{RESULTS}/indicator_scores.parquet",
        bip_statistics=f"{RESULTS}/bip_statistics.parquet",
    output:
        **{name: f"{RESULTS}/{name}.parquet" for name in AVAILABILITY_TABLES},
    params:
        rounds=ROUNDS,
    log:
        "logs/availability_audit.log",
    script:
        "../../scripts/availability_audit.py"


rule change_models:
    input:
        indicators=f"{RESULTS}/indicator_scores.parquet",
        change=rules.combine_tables.output.change,
    output:
        **{name: f"{RESULTS}/{name}.parquet" for name in CHANGE_MODEL_TABLES},
    params:
        rounds=ROUNDS,
        scoring=config["scoring"],
        analysis={k: config["analysis"][k] for k in ("confidence_level", "convergence")},
    log:
        "logs/change_models.log",
    script:
        "../../scripts/change_models.py"


rule robustness:
    input:
        codebook=rules.compile_codebook.output.json,
        indicators=f"{RESULTS}/indicator_scores.parquet",
    output:
        scores=f"{RESULTS}/robustness_scores.parquet",
        choices=f"{RESULTS}/robustness_choices.parquet",
    params:
        countries=COUNTRIES,
        rounds=ROUNDS,
        scoring=config["scoring"],
        robustness=config["analysis"]["robustness"],
    log:
        "logs/robustness.log",
    script:
        "../../scripts/robustness.py"


# Every published NIEM figure in the register, recomputed from the combined tables
# (niem/analysis/published.py).
rule published_figures:
    input:
        codebook=rules.compile_codebook.output.json,
        register=config["published_figures"],
        **{name: f"{RESULTS}/{name}.parquet" for name in COUNTRY_TABLES},
    output:
        check=f"{RESULTS}/published_figures_check.parquet",
    log:
        "logs/published_figures.log",
    script:
        "../../scripts/published_figures.py"


rule analysis:
    input:
        rules.published_figures.output,
        rules.availability_audit.output,
        rules.change_models.output,
        rules.robustness.output,
