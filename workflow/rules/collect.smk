# Collection and updating (issue 15): questionnaire workbooks for the national researchers, and
# clarification workbooks from the queue. `snakemake --cores 4 questionnaires_2021` writes
# questionnaires/2021/{CODE}.xlsx; `clarification_workbooks_2021` writes clarification/2021/{CODE}.xlsx.
# Importing a filled workbook is a command (python -m niem.collect import ...), not a rule: it
# writes raw/, which no rule may do. Logic in niem/collect/; researcher's guide: docs/collection.md.


def previous_evidence(wildcards):
    """The previous round's evidence file of the country (its answers are shown beside the inputs)."""
    i = ROUNDS.index(wildcards.round)
    if not i or ROUNDS[i - 1] not in COUNTRY_ROUNDS[wildcards.country]:  # first round, or previous one pending
        return []
    return [f"{RAW}/evidence/{ROUNDS[i - 1]}/{wildcards.country}.csv"]


rule questionnaire:
    input:
        codebook=config["codebook"],
        previous=previous_evidence,
    output:
        "questionnaires/{round}/{country}.xlsx",
    params:
        config=config,
    log:
        "logs/questionnaire/{round}/{country}.log",
    script:
        "../../scripts/questionnaire.py"


rule clarification_workbook:
    input:
        codebook=config["codebook"],
        queue=f"{RESULTS}/clarification/{{round}}.parquet",
        evidence=f"{RAW}/evidence/{{round}}/{{country}}.csv",
    output:
        "clarification/{round}/{country}.xlsx",
    params:
        config=config,
    log:
        "logs/clarification_workbook/{round}/{country}.log",
    script:
        "../../scripts/clarification_workbook.py"


rule pending_evidence:
    input:
        codebook=rules.compile_codebook.output.json,  # after the inputs are validated: a bad input leaves no results
    output:
        f"{RESULTS}/pending_evidence.parquet",
    params:
        pending=PENDING,
    log:
        "logs/pending_evidence.log",
    script:
        "../../scripts/pending_evidence.py"


# One named target per configured round: `snakemake --cores 4 questionnaires_2021`.
for _round in ROUNDS:

    rule:
        name:
            f"questionnaires_{_round}"
        input:
            [f"questionnaires/{_round}/{c}.xlsx" for c in COUNTRIES],
        localrule: True

    rule:
        name:
            f"clarification_workbooks_{_round}"
        input:
            [f"clarification/{_round}/{c}.xlsx" for c in COUNTRIES],
        localrule: True
