"""Core: what every stage uses and nothing stage-specific.

Input errors that name file, line and field (``errors``), atomic file output and checksums
(``io``), the strict CSV and line-aware YAML readers of raw and config files (``csvio``,
``yamlio``), JSON-schema validation (``schema``), escaping of free text for reports and
spreadsheets (``safety``) and the table registry that writes self-documenting parquet files
(``registry``). Used by every rule (through the rule scripts) and by ``workflow/rules/common.smk``;
imports nothing from the other subpackages.
"""
