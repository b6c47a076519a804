# Evidence quality (issue 3): the clarification queue for the national researchers.
# Hard errors in raw files stop the run earlier (common.smk, country_tables); see docs/validation.md.


rule clarification_queue:
    input:
        country_items=[country_table("clarification_items", c) for c in COUNTRIES],
    output:
        tables=[f"{RESULTS}/clarification/{r}.parquet" for r in ROUNDS],
        csv=[f"{RESULTS}/clarification/{r}.csv" for r in ROUNDS],
        summary=f"{RESULTS}/clarification_summary.parquet",
    params:
        countries=COUNTRIES,
        rounds=ROUNDS,
    log:
        "logs/clarification_queue.log",
    script:
        "../../scripts/clarification_queue.py"


# Every country's job is a target itself: after a hard error Snakemake removes that job's
# outputs, and without this a later run would see the (older) combined files and report
# "Nothing to be done" instead of the error.
rule quality:
    input:
        rules.clarification_queue.output,
        rules.clarification_queue.input,
