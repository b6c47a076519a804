"""Inputs stage: what the pipeline reads, validated before anything is computed.

The configuration (``config``) and codebook (``codebook``), the check that ``raw/`` holds
exactly the files the configuration asks for (``rawfiles``), the evidence files (``evidence``),
the real seed data from the NIEM Project Summary (``seeddata``, tables in ``tables``) and the
design of the illustrative answers (``illustrative``, run by hand). Rules: the checks in
``workflow/rules/common.smk``, ``compile_codebook`` and the validation half of ``country_tables``
(``workflow/rules/tables.smk``).
"""
