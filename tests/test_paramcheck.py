"""Snakemake's params check serialises values as before, without importing pandas (niem/run/paramcheck.py)."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from snakemake.persistence import UNREPRESENTABLE, PersistenceBase

from niem.run.paramcheck import serialize_param, skip_pandas_import
from workflow_helpers import snakemake

VALUES = [None, 3, 2.5, True, "BG", ["2017", "2019"], ("a", 1), {"stable_threshold": 5, "rounds": ["2019"]},
          {1, 2}, b"x", range(3), object()]


class _Persistence:
    """Stands in for Snakemake's persistence object: the two methods the check uses."""
    _serialize_param_builtin = PersistenceBase._serialize_param_builtin
    _serialize_param_pandas = PersistenceBase._serialize_param_pandas


@pytest.mark.parametrize("value", VALUES + [pd.DataFrame({"a": [1, 2]}), pd.Series([1.5, 2.5]), pd.Index(["x"])],
                         ids=lambda v: type(v).__name__)
def test_every_value_is_serialised_as_snakemake_does(value):
    original = PersistenceBase._serialize_param_pandas(_Persistence(), value)
    assert serialize_param(_Persistence(), value) == original
    assert (original is UNREPRESENTABLE) == (type(value) is object)


def test_serialising_plain_values_does_not_import_pandas():
    # A fresh interpreter: this one has pandas imported already.
    code = ("import sys\n"
            "from snakemake.persistence import PersistenceBase\n"
            "from niem.run.paramcheck import skip_pandas_import\n"
            "class P: pass\n"
            "P._serialize_param_builtin = PersistenceBase._serialize_param_builtin\n"
            "P._serialize_param_pandas = PersistenceBase._serialize_param_pandas\n"
            "if sys.argv[1] == 'patched': assert skip_pandas_import(P)\n"
            "print(P()._serialize_param_pandas(['2017', 5]), 'pandas' in sys.modules)\n")
    runs = {how: subprocess.run([sys.executable, "-c", code, how], capture_output=True, text=True, check=True).stdout
            for how in ("patched", "original")}
    assert runs["patched"] == "['2017', 5] False\n"
    assert runs["original"] == "['2017', 5] True\n"  # what the patch is for


def test_another_snakemake_is_left_alone():
    class Other:
        def _serialize_param(self, value):
            return repr(value)

    assert skip_pandas_import(Other) is False
    assert not hasattr(Other, "_serialize_param_pandas")


def test_a_noop_run_of_the_workflow_does_not_import_pandas(tiny_built, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(tiny_built, work, symlinks=True)
    proc = snakemake(work, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert "Nothing to be done" in proc.stdout + proc.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "snakemake.persistence" in imported  # the check ran in this process
    assert "pandas" not in imported
