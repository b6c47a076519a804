# Placeholder: filled in by the analysis work.


rule analysis:
    input:
        [],
