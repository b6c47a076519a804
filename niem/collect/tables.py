"""Table specs of the collect stage (registered into niem.core.registry when imported)."""

from ..core.registry import _KEY, S, TableSpec, register

register(TableSpec(
    "pending_evidence",
    "Configured countries and rounds whose evidence file has not been imported yet (accepted only with "
    "allow_pending_rounds: true in config/config.yaml; docs/collection.md). Empty when every file is there.",
    tuple(_KEY + [("file", S, "The evidence file still missing (python -m niem.collect import writes it)")]),
    provenance="Lists files of the project; no data."))
