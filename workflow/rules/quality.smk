# Placeholder: filled in by the quality work.


rule quality:
    input:
        [],
