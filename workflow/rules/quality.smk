# Evidence quality (issue 3): the clarification queue for the national researchers.
# Hard errors in raw files stop the run earlier (common.smk, country_tables); see docs/validation.md.
from niem.quality.clarification import register_path


def existing_registers(countries):
    """The resolution registers of ``countries`` that exist (raw/clarifications/{round}/{country}.csv,
    written by python -m niem.collect import-clarification): confirmed items show as resolved. Files
    of unconfigured countries or rounds are refused when the workflow starts (niem/inputs/rawfiles.py)."""
    paths = [register_path(RAW, c, r) for r in ROUNDS for c in countries]
    return [p for p in paths if os.path.isfile(p)]


def clarification_registers(wildcards):
    return existing_registers(COUNTRIES)


def country_registers(wildcards):
    """One country's registers only: its QA annex and report do not depend on other countries' files."""
    return existing_registers([wildcards.country])


rule clarification_queue:
    input:
        country_items=[country_table("clarification_items", c) for c in COUNTRIES],
        codebook=rules.compile_codebook.output.json,
        registers=clarification_registers,
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
