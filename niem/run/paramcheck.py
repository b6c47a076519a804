"""Snakemake's ``params`` rerun check without importing pandas into the main process.

To decide whether a job's params changed, Snakemake 9 serialises every param value; when pandas is
installed it does so with ``_serialize_param_pandas``, which starts with ``import pandas`` so it can
hash DataFrame params. Our params are plain values, yet that import cost ~0.9 s (a quarter of a
no-op run, measured with py-spy: docs/performance.md) in every run that checks an existing output.

A value can only be a pandas object if pandas has been imported already, so the replacement below
looks pandas up in ``sys.modules`` instead of importing it. It serialises every value exactly as
the original does (the same strings are stored in and compared with ``.snakemake/metadata``); only
the needless import is gone.
"""

from __future__ import annotations

import sys
from typing import Any


def serialize_param(self, value: Any) -> str | object:
    """Snakemake's ``_serialize_param_pandas``, with pandas looked up instead of imported."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        return repr(pd.util.hash_pandas_object(value).tolist())
    return self._serialize_param_builtin(value)


def skip_pandas_import(persistence_class=None) -> bool:
    """Install ``serialize_param`` on Snakemake's persistence class; False (nothing changed) when
    this Snakemake has no such method, so another version falls back to its own behaviour."""
    if persistence_class is None:
        from snakemake.persistence import PersistenceBase as persistence_class
    if not (callable(getattr(persistence_class, "_serialize_param_pandas", None))
            and callable(getattr(persistence_class, "_serialize_param_builtin", None))):
        return False
    persistence_class._serialize_param_pandas = serialize_param
    return True
