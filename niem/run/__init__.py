"""Run glue: how rule scripts and Snakemake runs start and end.

``runner`` gives every rule script its log file and turns bad input into one clear message;
``runlock`` keeps one run per project folder and clears the locks of a killed run;
``schedexit`` ends a run without Snakemake's idle timer; ``paramcheck`` keeps pandas out of
Snakemake's params check; ``warm`` runs the jobs in one warm process that has imported the heavy
packages once. ``workflow/rules/common.smk`` and every script under ``scripts/`` use it.
"""
