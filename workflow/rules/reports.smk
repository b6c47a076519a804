# Placeholder: filled in by the reports work.


rule reports:
    input:
        [],
