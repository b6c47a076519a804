# Shared set-up: config validation, raw-file checks, wildcard constraints, path helpers.
import os
import sys
from pathlib import Path

# The package lives beside the Snakefile; make it importable here and in every job (also on
# cluster nodes, which inherit the environment) without requiring an editable install.
sys.path.insert(0, workflow.basedir)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [workflow.basedir, os.environ.get("PYTHONPATH", "")] if p)

from niem.config import config_problems, country_codes, round_ids, with_defaults
from niem.errors import InputError, Problem
from niem.rawfiles import raw_file_problems
from niem.yamlio import load_yaml

_config_file = (workflow.overwrite_configfiles or workflow.configfiles or ["config/config.yaml"])[0]
try:
    _, _config_lines = load_yaml(_config_file)
    _problems = config_problems(config, str(_config_file), _config_lines)
    if _problems:
        raise InputError(_problems)
    config = with_defaults(config)
    COUNTRIES = country_codes(config)
    ROUNDS = round_ids(config)
    RAW = config["raw_dir"]
    RESULTS = config["results_dir"]
    REPORTS = config["reports_dir"]
    _problems = raw_file_problems(RAW, COUNTRIES, ROUNDS)
    if _problems:
        raise InputError(_problems)
except InputError as exc:
    raise WorkflowError(str(exc)) from None


wildcard_constraints:
    country=r"[A-Z]{2}(?:-[A-Z0-9]{1,3})?",
    round=r"[0-9]{4}",


def evidence_files(wildcards):
    return [f"{RAW}/evidence/{r}/{wildcards.country}.csv" for r in ROUNDS]


def country_table(name, country="{country}"):
    return f"{RESULTS}/countries/{country}/{name}.parquet"
