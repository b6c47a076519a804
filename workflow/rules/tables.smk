# Raw evidence -> validated, scored parquet tables (issue 2).

COUNTRY_TABLES = [
    "indicator_scores",
    "step_scores",
    "dimension_scores",
    "area_scores",
    "overall_step_scores",
    "overall_scores",
    "bip_statistics",
    "findings",
    "legal_framework",
    "change",
]


rule compile_codebook:
    input:
        codebook=config["codebook"],
    output:
        json=f"{RESULTS}/codebook.json",
    log:
        "logs/compile_codebook.log",
    script:
        "../../scripts/compile_codebook.py"


rule country_tables:
    input:
        codebook=rules.compile_codebook.output.json,
        evidence=evidence_files,
        bip_statistics=f"{RAW}/bip_statistics/{{country}}.csv",
        findings=f"{RAW}/findings/{{country}}.csv",
        legal_framework=f"{RAW}/legal_framework/{{country}}.csv",
    output:
        **{name: country_table(name) for name in COUNTRY_TABLES},
        clarification_items=country_table("clarification_items"),  # combined per round in quality.smk
    params:
        rounds=country_rounds,
        scoring=config["scoring"],
        countries=COUNTRY_NAMES,
        stable_threshold=config["analysis"]["stable_threshold"],
    log:
        "logs/country_tables/{country}.log",
    script:
        "../../scripts/country_tables.py"


rule combine_tables:
    input:
        [country_table(name, c) for c in COUNTRIES for name in COUNTRY_TABLES],
    output:
        **{name: f"{RESULTS}/{name}.parquet" for name in COUNTRY_TABLES},
    params:
        tables=COUNTRY_TABLES,
    log:
        "logs/combine_tables.log",
    script:
        "../../scripts/combine_tables.py"


rule comparative_conclusions:
    input:
        text=f"{RAW}/comparative_conclusions.csv",
        # not read: ordered after the codebook, so a run stopped by an invalid codebook leaves no table
        codebook=rules.compile_codebook.output.json,
    output:
        table=f"{RESULTS}/comparative_conclusions.parquet",
    log:
        "logs/comparative_conclusions.log",
    script:
        "../../scripts/comparative_conclusions.py"


rule tables:
    input:
        rules.comparative_conclusions.output,
        rules.combine_tables.input,  # per-country files as targets: a country whose job failed is retried, not skipped
        rules.combine_tables.output,
