"""Scoring stage: validated answers -> indicator points -> step, dimension, area and overall scores.

``rules`` holds this project's scoring rules (config/README.md states them), ``change`` the
round-to-round change on the indicators common to both rounds, ``country`` one country's tables
for every round; ``tables`` declares the score and change tables. Rules: ``country_tables`` and
``combine_tables`` (``workflow/rules/tables.smk``).
"""
