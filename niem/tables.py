"""The catalogue of every table the pipeline writes, in the order of the DAG's stages.

The registry (niem/core/registry.py) imports nothing from the stages; each stage declares its
tables in its own ``tables`` module. Importing this module imports all of them, so the registry
is complete here whichever module a process imported first: rule scripts write their tables
through it, and the README's table docs and the round archive's datapackage.json read it.
"""

from __future__ import annotations

import importlib

from .core.registry import MODULE_OF, TABLES, TableSpec, concat_files, frame_table, spec_of, write_table  # noqa: F401

# The stages' table modules, in the order of the DAG (and of the README's table docs).
STAGE_TABLE_MODULES = (
    "niem.inputs.tables",
    "niem.scoring.tables",
    "niem.quality.tables",
    "niem.analysis.tables",
    "niem.reports.tables",
    "niem.collect.tables",
)
for _module in STAGE_TABLE_MODULES:
    importlib.import_module(_module)


def all_tables() -> dict[str, TableSpec]:
    """Every table of every stage, by name."""
    return TABLES


def tables_in_stage_order() -> list[TableSpec]:
    """Every table: by pipeline stage, then in the order its module registers them."""
    position = {name: i for i, name in enumerate(TABLES)}
    return sorted(TABLES.values(), key=lambda spec: (STAGE_TABLE_MODULES.index(MODULE_OF[spec.name]), position[spec.name]))
