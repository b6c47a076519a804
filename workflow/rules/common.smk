# Shared set-up: config loading and validation, raw-file checks, the run lock, wildcard
# constraints, path helpers. Any problem found here stops the run before any job starts, with one
# message naming file, line and field (no Python traceback).
import os
import re
import sys
from pathlib import Path

from snakemake.utils import update_config

# The package lives beside the Snakefile; make it importable here and in every job (also on
# cluster nodes, which inherit the environment) without requiring an editable install.
sys.path.insert(0, workflow.basedir)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [workflow.basedir, os.environ.get("PYTHONPATH", "")] if p)

from niem.collect.rounds import pending_evidence
from niem.core.errors import InputError, Problem
from niem.core.inputstate import input_files, mark_changed
from niem.core.yamlio import load_yaml
from niem.inputs.config import command_line_values, config_problems, country_codes, override_problems, round_ids, with_defaults
from niem.inputs.rawfiles import raw_file_problems
from niem.run.runlock import hold_run_lock, remove_stale_snakemake_locks
from niem.run.paramcheck import skip_pandas_import
from niem.run.schedexit import cancel_scheduler_timers
from niem.run.warm import SWITCH as WARM_WORKER_SWITCH
from niem.run.warm import start_for_run as start_warm_worker

# Snakemake's params check imports pandas (~0.9 s) in every run that checks an existing output; our
# params are plain values, so the check need not (niem/run/paramcheck.py).
skip_pandas_import()

# The Snakefile has no `configfile:` directive on purpose: Snakemake's own loader accepts YAML
# tags and YTE templates (code). The config is read here with a safe loader instead; `--config`
# overrides are applied on top. (A file given with `--configfile` is still parsed by Snakemake
# first; use it only with files you trust.)
_config_file = str((workflow.overwrite_configfiles or ["config/config.yaml"])[0])
try:
    config, _config_lines = load_yaml(_config_file)
    config = config if config is not None else {}
    _overrides = command_line_values(workflow.config_settings.overwrite_config)  # --config allow_pending_rounds=true
    if isinstance(config, dict):
        update_config(config, _overrides)
    _problems = override_problems(config_problems(config, _config_file, _config_lines), _overrides)
    if _problems:
        raise InputError(_problems)
    config = with_defaults(config)
    COUNTRIES = country_codes(config)
    ROUNDS = round_ids(config)
    COUNTRY_NAMES = {c["code"]: c["name"] for c in config["countries"]}
    RAW = config["raw_dir"]
    RESULTS = config["results_dir"]
    REPORTS = config["reports_dir"]
    _problems = raw_file_problems(RAW, COUNTRIES, ROUNDS)
    # Evidence not yet imported (python -m niem.collect): accepted only with allow_pending_rounds.
    PENDING = pending_evidence(RAW, COUNTRIES, ROUNDS)
    if config.get("allow_pending_rounds", False):
        _problems = [p for p in _problems if p.file not in {x["file"] for x in PENDING}]
    elif PENDING:
        _problems.append(Problem(_config_file, None, "allow_pending_rounds", "evidence files of configured rounds "
                                         "are missing; while questionnaires are still being collected, set "
                                         "allow_pending_rounds: true (docs/collection.md)"))
    if _problems:
        raise InputError(_problems)
    COUNTRY_ROUNDS = {c: [r for r in ROUNDS if {"country": c, "round": r, "file": f"{RAW}/evidence/{r}/{c}.csv"} not in PENDING]
                      for c in COUNTRIES}
except InputError as exc:
    raise SystemExit(f"{exc}\nNothing was run. See docs/validation.md.")

# One run at a time in this folder; a lock left by a killed run is removed (niem/run/runlock.py).
if workflow.is_main_process:
    _other_run = hold_run_lock()
    if _other_run:
        raise SystemExit(_other_run)
    if remove_stale_snakemake_locks():
        print("Removed the Snakemake directory lock left by an interrupted run (no other run is active here).", file=sys.stderr)
    # Content decides staleness: a raw, config or codebook file whose content changed since the
    # last run (also one restored with its old timestamp) is marked new (niem/core/inputstate.py).
    mark_changed(input_files(RAW, [_config_file, config["codebook"], config["published_figures"]]))
    # Jobs on this machine share one warm Python process for their imports (niem/run/warm.py);
    # jobs on cluster nodes run as before.
    os.environ[WARM_WORKER_SWITCH] = "1" if config["warm_worker"] and workflow.local_exec and not workflow.dryrun else "0"


# Jobs are about to run (a run with nothing to do never gets here): start the warm worker, which
# stops when this process exits.
onstart:
    if os.environ.get(WARM_WORKER_SWITCH) == "1":
        start_warm_worker()


# The run is over: stop the scheduler's idle wake-up timer, which would otherwise keep Snakemake
# alive for up to 1 s after the last job (niem/run/schedexit.py).
onsuccess:
    cancel_scheduler_timers()


onerror:
    cancel_scheduler_timers()


# Only configured countries and rounds match, so a crafted target (results/countries/../x/...,
# a lower-case or unknown code) has no rule and cannot write anywhere.
wildcard_constraints:
    country="|".join(map(re.escape, COUNTRIES)),
    round="|".join(map(re.escape, ROUNDS)),


def source_file(path):
    """A file of the workflow (code, templates) as a path relative to the working directory, so a
    copied or moved project keeps its provenance (Snakemake reruns a job whose input paths change)."""
    return os.path.normpath(os.path.join(os.path.relpath(workflow.basedir), path))


def evidence_files(wildcards):
    return [f"{RAW}/evidence/{r}/{wildcards.country}.csv" for r in COUNTRY_ROUNDS[wildcards.country]]


def country_rounds(wildcards):
    """The rounds of a country with evidence (all configured ones unless allow_pending_rounds)."""
    return COUNTRY_ROUNDS[wildcards.country]


def country_table(name, country="{country}"):
    return f"{RESULTS}/countries/{country}/{name}.parquet"
