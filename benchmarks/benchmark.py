#!/usr/bin/env python
"""Performance benchmark of the workflow (issue 7). Run by hand, not in CI:

    python benchmarks/benchmark.py [--cores 2] [--engines pandoc,quarto] [--json bench.json] [--sizes 14x3,50x3,100x6]

Everything runs on copies of the project in a temporary folder (never on its results/). Measures,
under each report engine (pandoc + Typst, and Quarto when `quarto` is on PATH; skipped with a note
otherwise), the full rebuild, a no-op re-run and the rebuild after one evidence file changed (a
note in raw/evidence/{last round}/BG.csv, so no score moves); the robustness Monte Carlo alone (if
the workflow has a rule whose name contains 'robust'); and, with the first engine, the full rebuild,
no-op and one-country rebuild of SYNTHETIC projects of several sizes
(benchmarks/make_synthetic_project.py); and issue 15's 4-round build: `python -m niem.collect
new-round 2023`, the 14 questionnaires filled with the 2021 answers (SIMULATED,
benchmarks/simulate_round.py), 14 imports, then the full build with reports. The workflow is
driven by its default target
and by its own rule names; nothing here knows the rule list.

Where the time goes: each job's start and end come from Snakemake's metadata
(.snakemake/metadata), each Python job's process start and exit from a sitecustomize hook put on
PYTHONPATH for the run (one JSON line per job at exit), and its computation from the
'done in X s' line that niem.run.runner writes to the job's log (the time inside the script's main()).
A job without that line (e.g. a shell rendering job) counts as 'other job time'. The fixed cost of
an empty Python job is measured on a one-rule workflow.

Targets checked (PASS/FAIL; n/a when not measured), issue 17: pandoc + Typst full rebuild of the
14 x 3 project with all --expect-reports reports within 60 s; no-op within 3 s; one-country rebuild
<= 0.45 x full, and at 100 x 6 <= 0.45 x the 100 x 6 full rebuild; Quarto full rebuild <= 2 x the
pandoc + Typst one in the same run; time growing no faster than linearly with countries x rounds.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from make_synthetic_project import copy_project, make_synthetic_project, read_csv_with_comments  # noqa: E402

HEAVY = ("pandas", "pyarrow", "numpy", "scipy", "statsmodels", "matplotlib", "yaml", "jsonschema",
         "pypandoc", "typst", "pypdf", "snakemake", "niem")
# Issue 17 restated the one-country target (issue 7 had 0.15 x full, set without counting the
# cross-country jobs a one-country change must redo) and added Quarto's.
TARGETS = {"full_s": 60.0, "noop_s": 3.0, "one_country_share": 0.45, "quarto_full_ratio": 2.0, "scaling_slope": 1.1}
COUNTRY_FILES = {"bip_statistics": "measure,slot,reference_as_printed,value,unit,value_as_printed,status,basis,qualifier,source,note",
                 "findings": "section,item,tags_as_printed,dimensions,text",
                 "legal_framework": "field,item,text,note"}

SITECUSTOMIZE = r'''
# Benchmark hook (benchmarks/benchmark.py): one JSON line per Snakemake Python job at exit, with
# the process's start, this hook's time (= interpreter start-up done), the exit, and how long each
# outermost import of a heavy package took (timed around the loader's exec_module).
import atexit, os, sys, time
import importlib.machinery
_site = time.time()
_HEAVY = set(os.environ.get("NIEM_BENCH_HEAVY", "").split(","))
_imports = []
_depth = [0]
class _ImportTimer:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] not in _HEAVY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module
        def exec_module(module):
            t = time.time()
            _depth[0] += 1
            try:
                run(module)
            finally:
                _depth[0] -= 1
                if _depth[0] == 0:
                    _imports.append((name.split(".")[0], t, time.time()))
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, _ImportTimer())
def _proc_start():
    try:
        ticks = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])
        uptime = float(open("/proc/uptime").read().split()[0])
        return time.time() - (uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except Exception:
        return None
def _dump():
    smk = getattr(sys.modules.get("__main__"), "snakemake", None)
    trace = os.environ.get("NIEM_BENCH_TRACE")
    if smk is None or not hasattr(smk, "rule") or not trace:
        return
    import json
    mods = sorted({m.split(".")[0] for m in list(sys.modules)})
    rec = {"rule": smk.rule, "outputs": [str(o) for o in smk.output], "pid": os.getpid(),
           "proc_start": _proc_start(), "site": _site, "exit": time.time(), "modules": mods, "imports": _imports}
    with open(trace, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")
atexit.register(_dump)
'''


def engine_args(project: Path, engine: str = "pandoc") -> list[str]:
    """--config forcing the report engine (config key report_engine), if the project's schema has it."""
    schema = project / "workflow" / "schemas" / "config.schema.yaml"
    if schema.is_file() and "report_engine" in schema.read_text(encoding="utf-8"):
        return ["--config", f"report_engine={engine}"]
    return []


# --- running Snakemake ---------------------------------------------------------------------------

class Bench:
    def __init__(self, cores: int, engine: str, workdir: Path, timeout: float = 3600):
        self.cores = cores
        self.timeout = timeout
        self.engine = engine
        self.workdir = workdir
        self.hook = workdir / "_hook"
        self.hook.mkdir(parents=True, exist_ok=True)
        (self.hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")

    def config_args(self, project: Path) -> list[str]:
        return engine_args(project, self.engine)

    def snakemake(self, project: Path, *args: str, check: bool = True) -> dict:
        """Run Snakemake in ``project``; returns wall time, job count and the jobs it ran."""
        trace = project / ".bench_trace.jsonl"
        trace.unlink(missing_ok=True)
        env = {**os.environ, "NIEM_BENCH_TRACE": str(trace), "NIEM_BENCH_HEAVY": ",".join(m for m in HEAVY if m != "niem"),
               "PYTHONPATH": os.pathsep.join(p for p in [str(self.hook), os.environ.get("PYTHONPATH", "")] if p)}
        cmd = [sys.executable, "-m", "snakemake", "--cores", str(self.cores), *self.config_args(project), *args]
        t0 = time.time()
        try:
            proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"snakemake did not finish within {self.timeout} s in {project} ({' '.join(cmd[3:])})") from None
        t1 = time.time()
        out = proc.stdout + proc.stderr
        if check and proc.returncode != 0:
            raise SystemExit(f"snakemake failed in {project} ({' '.join(cmd[3:])}):\n{out[-3000:]}")
        steps = re.findall(r"(\d+) of (\d+) steps", out)
        traces = [json.loads(x) for x in trace.read_text().splitlines()] if trace.exists() else []
        jobs = jobs_since(project, t0 - 0.5)
        return {"wall_s": t1 - t0, "t0": t0, "t1": t1, "steps": int(steps[-1][1]) if steps else 0,
                "nothing_to_do": "Nothing to be done" in out, "jobs": attach_traces(project, jobs, traces),
                "cmd": "snakemake " + " ".join(cmd[3:]), "rc": proc.returncode, "output": out}


def jobs_since(project: Path, since: float) -> list[dict]:
    """Jobs (with outputs) that Snakemake started after ``since``, from .snakemake/metadata."""
    jobs: dict[tuple, dict] = {}
    meta = project / ".snakemake" / "metadata"
    for path in meta.glob("*") if meta.is_dir() else []:
        try:
            rec = json.loads(path.read_text())
            output = base64.b64decode(path.name.encode()).decode()
        except Exception:
            continue
        if rec.get("incomplete") or not rec.get("starttime") or rec["starttime"] < since:
            continue
        # one record per output file; the outputs of one job share its log files (else its end time)
        key = (rec["rule"], tuple(rec["log"])) if rec.get("log") else (rec["rule"], rec.get("endtime"))
        job = jobs.setdefault(key, {"rule": rec["rule"], "start": rec["starttime"], "end": rec.get("endtime") or rec["starttime"],
                                    "outputs": [], "logs": rec.get("log") or []})
        job["start"] = min(job["start"], rec["starttime"])
        job["outputs"].append(output)
    return sorted(jobs.values(), key=lambda j: j["start"])


def attach_traces(project: Path, jobs: list[dict], traces: list[dict]) -> list[dict]:
    by_output = {o: t for t in traces for o in t["outputs"]}
    for job in jobs:
        job["trace"] = next((by_output[o] for o in job["outputs"] if o in by_output), None)
        job["compute"], job["warm"] = None, False
        for log in job["logs"]:
            path = project / log
            text = path.read_text(errors="replace") if path.is_file() else ""
            found = re.findall(r"done in ([0-9.]+) s", text)
            if found:
                job["compute"] = float(found[-1])
                job["warm"] = "(warm worker)" in text  # niem/run/warm.py ran it: its imports were done
    return jobs


COMPUTE = "computation (main() of Python jobs, less the imports inside it)"
STARTUP = "interpreter start-up"
IMPORTS = "imports of heavy packages (also those inside main())"
PREAMBLE = "rest of the job process (Snakemake script preamble, niem import, exit)"
DISPATCH = "job dispatch and completion by Snakemake"
OTHER = "other job time (jobs without a 'done in' log: rendering, shell, ...)"
SCHED = "Snakemake start-up, DAG, scheduling, idle cores"


def job_parts(job: dict) -> dict | None:
    """Seconds of one traced Python job: start-up, heavy imports, net computation, rest, dispatch."""
    t, c = job["trace"], job["compute"]
    if not t or not t.get("proc_start") or c is None:
        return None
    main_start = t["exit"] - c
    imports = sum(end - start for _, start, end in t.get("imports", []))
    in_main = sum(end - max(start, main_start) for _, start, end in t.get("imports", []) if end > main_start)
    proc = t["exit"] - t["proc_start"]
    startup = max(0.0, t["site"] - t["proc_start"])
    compute = max(0.0, c - in_main)
    return {STARTUP: startup, IMPORTS: imports, COMPUTE: compute,
            PREAMBLE: max(0.0, proc - startup - imports - compute),
            DISPATCH: max(0.0, (job["end"] - job["start"]) - proc)}


def breakdown(run: dict, cores: int) -> dict:
    """Split cores x wall (core-seconds) into computation and the costs around it."""
    jobs = run["jobs"]
    cap = cores * run["wall_s"]
    parts = dict.fromkeys([COMPUTE, STARTUP, IMPORTS, PREAMBLE, DISPATCH, OTHER], 0.0)
    for j in jobs:
        jp = job_parts(j)
        if jp is None:
            parts[OTHER] += j["end"] - j["start"]
        else:
            for k, v in jp.items():
                parts[k] += v
    parts[SCHED] = max(0.0, cap - sum(j["end"] - j["start"] for j in jobs))
    first = min((j["start"] for j in jobs), default=run["t1"])
    last = max((j["end"] for j in jobs), default=run["t1"])
    return {"core_seconds": cap, "parts_core_s": parts, "warm_jobs": sum(j.get("warm", False) for j in jobs),
            "jobs": len(jobs),
            "share_outside_computation": 1 - parts[COMPUTE] / cap if cap else None,
            "before_first_job_s": first - run["t0"], "after_last_job_s": run["t1"] - last}


def work_bound(run: dict, cores: int, full_wall_s: float) -> dict:
    """The fastest this run's set of jobs could go on ``cores`` cores: Snakemake's own time before
    the first and after the last job, plus the jobs' seconds spread perfectly over the cores; also
    as a share of the full rebuild's wall time."""
    bd = breakdown(run, cores)
    job_s = sum(j["end"] - j["start"] for j in run["jobs"])
    wall_s = bd["before_first_job_s"] + job_s / cores + bd["after_last_job_s"]
    return {"job_s": job_s, "wall_s": wall_s, "share_of_full": wall_s / full_wall_s}


def per_rule(jobs: list[dict]) -> dict:
    rules: dict[str, dict] = {}
    for j in jobs:
        r = rules.setdefault(j["rule"], {"jobs": 0, "job_s": 0.0, "compute_s": 0.0, "imports_s": 0.0, "rest_s": 0.0, "modules": set()})
        r["jobs"] += 1
        r["job_s"] += j["end"] - j["start"]
        jp = job_parts(j)
        if jp:
            r["compute_s"] += jp[COMPUTE]
            r["imports_s"] += jp[IMPORTS]
            r["rest_s"] += jp[STARTUP] + jp[PREAMBLE] + jp[DISPATCH]
        if j["trace"]:
            r["modules"] |= {m for m in j["trace"]["modules"] if m in HEAVY}
            r.setdefault("import_s_by_module", {})
            for name, start, end in j["trace"].get("imports", []):
                r["import_s_by_module"][name] = r["import_s_by_module"].get(name, 0.0) + end - start
    return {k: {**v, "modules": sorted(v["modules"])} for k, v in rules.items()}


# --- project set-up ------------------------------------------------------------------------------

def add_stand_ins(project: Path, config_args: list[str] = ()) -> list[str]:
    """Header-only per-country files, only if the workflow asks for files that are missing."""
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1", "--dry-run", *config_args],
                          cwd=project, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    made = []
    if proc.returncode != 0 and any(f"{d}/" in out for d in COUNTRY_FILES):
        cfg = yaml.safe_load((project / "config" / "config.yaml").read_text(encoding="utf-8"))
        raw = project / cfg.get("raw_dir", "raw")
        for folder, header in COUNTRY_FILES.items():
            for c in cfg["countries"]:
                path = raw / folder / f"{c['code']}.csv"
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(f"# BENCHMARK STAND-IN: header only, no data\n{header}\n", encoding="utf-8")
                    made.append(str(path.relative_to(project)))
    return made


def edit_one_note(path: Path) -> str:
    """Change one evidence row's note (no score moves); returns what was done."""
    text = path.read_text(encoding="utf-8")
    comments, fields, _ = read_csv_with_comments(path)
    lines = text.splitlines(keepends=True)
    if "note" in fields:
        k = fields.index("note")
        for i in range(len(comments) + 1, len(lines)):
            row = next(csv.reader([lines[i]]), [])
            if len(row) == len(fields) and row[k].strip():
                row[k] = row[k] + " (benchmark edit)"
                buf = io.StringIO()
                csv.writer(buf, lineterminator=lines[i][len(lines[i].rstrip("\r\n")):] or "\n").writerow(row)
                lines[i] = buf.getvalue()
                path.write_text("".join(lines), encoding="utf-8")
                return f"note of {row[0]} at line {i + 1}"
    path.write_text("# benchmark edit\n" + text, encoding="utf-8")  # no note anywhere: a comment line
    return "comment line added"


def count_reports(project: Path, since: float) -> int:
    cfg = yaml.safe_load((project / "config" / "config.yaml").read_text(encoding="utf-8"))
    reports = project / cfg.get("reports_dir", "reports")
    return sum(1 for p in reports.rglob("*") if p.suffix in (".html", ".pdf") and "_work" not in p.parts
               and p.stat().st_mtime >= since) if reports.is_dir() else 0


def rule_names(project: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--list-rules"], cwd=project, capture_output=True, text=True)
    return [x.strip() for x in proc.stdout.splitlines() if re.fullmatch(r"\s*\w+\s*", x)]


def scores_snapshot(project: Path) -> dict:
    """The numeric columns (scores, points, coverage, counts) of every combined table."""
    import pyarrow.parquet as pq

    import pyarrow as pa

    out = {}
    for p in sorted((project / "results").glob("*.parquet")):
        t = pq.read_table(p)
        numeric = [f.name for f in t.schema if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]
        out[p.name] = t.select(numeric).to_pylist()
    return out


def measure_project(bench: Bench, proj: Path, country: str, say, tag: str = "") -> dict:
    """Full rebuild, no-op, one-country rebuild (and the robustness rules alone) in ``proj``."""
    rules = rule_names(proj)
    say(f"  {tag}full rebuild ...")
    full = bench.snakemake(proj)
    full["reports"] = count_reports(proj, full["t0"])
    say(f"  {tag}no-op re-run ...")
    noop = bench.snakemake(proj)
    before = scores_snapshot(proj)
    time.sleep(1.1)  # a new mtime, also on file systems with 1 s resolution
    cfg = yaml.safe_load((proj / "config" / "config.yaml").read_text(encoding="utf-8"))
    edited = proj / cfg.get("raw_dir", "raw") / "evidence" / cfg["rounds"][-1]["id"] / f"{country}.csv"
    what = edit_one_note(edited)
    say(f"  {tag}one-country rebuild ({edited.relative_to(proj)}: {what}) ...")
    one = bench.snakemake(proj)
    out = {"rules": rules, "full": full, "noop": noop, "one": one, "edit": f"{edited.relative_to(proj)}: {what}",
           "scores_unchanged": scores_snapshot(proj) == before}
    robust_rules = [r for r in rules if "robust" in r.lower()]
    if robust_rules:
        say(f"  {tag}robustness alone ({', '.join(robust_rules)}) ...")
        out["robust"] = bench.snakemake(proj, "--forcerun", *robust_rules, "--until", *robust_rules)
    return out


# --- fixed costs ---------------------------------------------------------------------------------

def median_time(cmd: list[str], n: int = 5, cwd=None) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def import_costs(modules: list[str]) -> dict:
    base = median_time([sys.executable, "-c", "pass"])
    out = {"python -c pass": base}
    for m in modules:
        if m in ("niem",):
            continue
        m = {"statsmodels": "statsmodels.api"}.get(m, m)  # its top level imports almost nothing
        out[f"import {m}"] = max(0.0, median_time([sys.executable, "-c", f"import {m}"], 3) - base)
    return out


def empty_job_cost(bench: Bench, n: int = 10) -> dict:
    """Fixed cost per job: a workflow of n jobs whose script does nothing, minus one of 1 job."""
    res = {}
    for k in (1, 1 + n):
        d = bench.workdir / f"empty_{k}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        (d / "empty.py").write_text("open(snakemake.output[0], 'w').close()\n")
        (d / "Snakefile").write_text(
            f"rule all:\n    input: expand('out/{{i}}.txt', i=range({k}))\n\n"
            "rule empty:\n    output: 'out/{i}.txt'\n    script: 'empty.py'\n")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1"], cwd=d, capture_output=True, check=True)
        res[k] = time.perf_counter() - t
    return {"per_job_s": (res[1 + n] - res[1]) / n, "one_job_workflow_s": res[1], "jobs": n}


# --- scaling -------------------------------------------------------------------------------------

def scaling_verdict(points: list[tuple[int, float]]) -> dict:
    """points: (country-rounds, seconds). Log-log slope per segment and of the last one; a linear
    t = a + b*n has slope <= 1, so a last slope above TARGETS['scaling_slope'] means superlinear."""
    import math

    pts = sorted(points)
    segs = [{"from": a[0], "to": b[0], "loglog_slope": math.log(b[1] / a[1]) / math.log(b[0] / a[0]),
             "marginal_s_per_country_round": (b[1] - a[1]) / (b[0] - a[0])}
            for a, b in zip(pts, pts[1:]) if b[0] > a[0] and a[1] > 0 and b[1] > 0]
    if not segs:
        return {"segments": [], "passed": None}
    n = len(pts)
    mx, my = sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n
    b = sum((p[0] - mx) * (p[1] - my) for p in pts) / sum((p[0] - mx) ** 2 for p in pts)
    return {"segments": segs, "linear_fit": {"fixed_s": my - b * mx, "s_per_country_round": b},
            "last_slope": segs[-1]["loglog_slope"], "passed": segs[-1]["loglog_slope"] <= TARGETS["scaling_slope"]}


# --- main ----------------------------------------------------------------------------------------

def fmt(x, nd=2):
    return "-" if x is None else (f"{x:.{nd}f}" if isinstance(x, float) else str(x))


def fmt_list(xs) -> str:
    return "/".join(f"{x:.1f}" for x in xs)


def measure_engine(args, work: Path, engine: str, say) -> dict:
    """The real project under one report engine: full rebuild, no-op, one-country rebuild (each
    repetition in a fresh copy; the fastest kept) and the robustness rules alone."""
    bench = Bench(args.cores, engine, work, args.timeout)
    reps = []
    for i in range(args.repeat):
        proj = copy_project(args.source, work / f"project_{engine}_{i + 1}")
        stand_ins = add_stand_ins(proj, bench.config_args(proj))
        if stand_ins and i == 0:
            say(f"  the workflow needs per-country files this tree lacks: wrote {len(stand_ins)} header-only stand-ins (in the copies only)")
        reps.append(measure_project(bench, proj, args.country, say, f"[{engine} {i + 1}/{args.repeat}] "))
        if not args.workdir:
            shutil.rmtree(proj, ignore_errors=True)
    rules = reps[0]["rules"]
    full = min((r["full"] for r in reps), key=lambda x: x["wall_s"])
    noop = min((r["noop"] for r in reps), key=lambda x: x["wall_s"])
    one = min((r["one"] for r in reps), key=lambda x: x["wall_s"])
    out = {"engine": engine, "stand_ins": len(stand_ins), "config_args": bench.config_args(args.source), "rules": rules}
    out["full"] = {"wall_s": full["wall_s"], "all_s": [r["full"]["wall_s"] for r in reps], "jobs": full["steps"], "reports": full["reports"],
                   "cmd": full["cmd"], "breakdown": breakdown(full, args.cores), "per_rule": per_rule(full["jobs"])}
    out["noop"] = {"wall_s": noop["wall_s"], "all_s": [r["noop"]["wall_s"] for r in reps], "jobs": noop["steps"],
                   "nothing_to_do": all(r["noop"]["nothing_to_do"] for r in reps), "cmd": noop["cmd"]}
    out["one_country"] = {"wall_s": one["wall_s"], "all_s": [r["one"]["wall_s"] for r in reps], "jobs": one["steps"],
                          "edit": reps[0]["edit"], "scores_unchanged": all(r["scores_unchanged"] for r in reps),
                          "share_of_full": one["wall_s"] / full["wall_s"], "rules": sorted({j["rule"] for j in one["jobs"]}),
                          "breakdown": breakdown(one, args.cores), "per_rule": per_rule(one["jobs"]),
                          "work_bound": work_bound(one, args.cores, full["wall_s"])}
    robust_rules = [r for r in rules if "robust" in r.lower()]
    if robust_rules:
        robust = min((r["robust"] for r in reps), key=lambda x: x["wall_s"])
        out["robustness"] = {"present": True, "rules": robust_rules, "alone_wall_s": robust["wall_s"], "alone_jobs": robust["steps"],
                             "cmd": robust["cmd"],
                             "job_s_in_full_run": sum(j["end"] - j["start"] for j in full["jobs"] if j["rule"] in robust_rules)}
    else:
        out["robustness"] = {"present": False}
    return out


def measure_new_round(args, work: Path, engine: str, say) -> dict:
    """Issue 15's 4-round build: on a fresh copy, `python -m niem.collect new-round` (config line and
    14 questionnaires), the questionnaires filled with the previous round's answers (SIMULATED,
    benchmarks/simulate_round.py), one `python -m niem.collect import` per country, then the full
    build with reports. Skipped with a note when the tree has no niem.collect."""
    if not (args.source / "niem" / "collect").is_dir():
        return {"present": False, "note": "the tree has no niem/collect (issue 15)"}
    bench = Bench(args.cores, engine, work, args.timeout)
    proj = copy_project(args.source, work / f"project_new_round_{args.new_round}")
    add_stand_ins(proj, bench.config_args(proj))
    cfg = yaml.safe_load((proj / "config" / "config.yaml").read_text(encoding="utf-8"))
    countries = [c["code"] for c in cfg["countries"]]

    def timed(cmd: list[str]) -> float:
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=proj, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd[1:])} failed in {proj}:\n{(proc.stdout + proc.stderr)[-3000:]}")
        return time.perf_counter() - t

    say(f"  [{engine}] new round {args.new_round}: config, questionnaires, SIMULATED answers, {len(countries)} imports, 4-round build ...")
    new_round_s = timed([sys.executable, "-m", "niem.collect", "new-round", args.new_round, "--label",
                         f"Evaluation {args.new_round} (benchmark)", "--reference-date", f"{args.new_round}-01-01"])
    timed([sys.executable, str(HERE / "simulate_round.py"), str(proj), args.new_round])
    import_s = [timed([sys.executable, "-m", "niem.collect", "import", f"questionnaires/{args.new_round}/{c}.xlsx"])
                for c in countries]
    build = bench.snakemake(proj)
    build["reports"] = count_reports(proj, build["t0"])
    import pyarrow.parquet as pq

    scores = pq.read_table(proj / cfg.get("results_dir", "results") / "overall_scores.parquet").to_pylist()
    rounds = sorted({r["round"] for r in scores})
    scored = sum(1 for r in scores if r["round"] == args.new_round and r["score"] is not None)
    if not args.workdir:
        shutil.rmtree(proj, ignore_errors=True)
    return {"present": True, "round": args.new_round, "new_round_s": new_round_s, "imports": len(import_s),
            "import_s": sum(import_s), "import_max_s": max(import_s), "build_s": build["wall_s"], "jobs": build["steps"],
            "reports": build["reports"], "rounds": rounds, "countries_scored_in_new_round": scored,
            "countries": len(countries), "cmd": build["cmd"]}


def engines_to_run(requested: str, which=shutil.which) -> tuple[list[str], dict[str, str]]:
    """The engines to measure, and a note for each one skipped (Quarto when `quarto` is absent)."""
    engines, skipped = [], {}
    for name in [e.strip() for e in requested.split(",") if e.strip()]:
        if name == "quarto" and not which("quarto"):
            skipped[name] = "skipped: no `quarto` on PATH"
        else:
            engines.append(name)
    if not engines:
        raise SystemExit(f"no engine to measure ({requested!r}; {skipped})")
    return engines, skipped


def verdicts(result: dict, expect_reports: int) -> dict:
    """PASS/FAIL (None: not measured) of each target, from the figures in ``result``."""
    T, base = TARGETS, result["engines"][result["engine"]]
    f, noop, one = base["full"], base["noop"], base["one_country"]
    v = {
        f"full rebuild 14x3 with all reports <= {T['full_s']:.0f} s ({result['engine']})": {
            "passed": f["wall_s"] <= T["full_s"] and f["reports"] >= expect_reports,
            "detail": f"{f['wall_s']:.1f} s, {f['reports']} of {expect_reports} reports built"},
        f"no-op re-run <= {T['noop_s']:.0f} s": {"passed": noop["wall_s"] <= T["noop_s"] and noop["nothing_to_do"],
                                             "detail": f"{noop['wall_s']:.2f} s"},
        f"one-country rebuild <= {T['one_country_share']} x full": {
            "passed": one["share_of_full"] <= T["one_country_share"],
            "detail": f"{one['wall_s']:.2f} s = {one['share_of_full']:.2f} x full"},
    }
    big = next((s for s in result["scale"] if (s["countries"], s["rounds"]) == (100, 6)), None)
    v[f"one-country rebuild at 100x6 <= {T['one_country_share']} x full at 100x6"] = (
        {"passed": big["one_country_share"] <= T["one_country_share"],
         "detail": f"{big['one_country_s']:.1f} s = {big['one_country_share']:.2f} x {big['wall_s']:.1f} s"} if big else
        {"passed": None, "detail": "100x6 not in --sizes"})
    q = result["engines"].get("quarto")
    name = f"Quarto full rebuild <= {T['quarto_full_ratio']:.0f} x {result['engine']} full (same run)"
    if q and result["engine"] != "quarto":
        ratio = q["full"]["wall_s"] / f["wall_s"]
        v[name] = {"passed": ratio <= T["quarto_full_ratio"] and q["full"]["reports"] >= expect_reports,
                   "detail": f"{q['full']['wall_s']:.1f} s = {ratio:.2f} x {f['wall_s']:.1f} s; {q['full']['reports']} reports"}
    else:
        v[name] = {"passed": None, "detail": result["skipped_engines"].get("quarto", "quarto not requested")}
    v["scale: no faster than linear"] = {"passed": result["scaling"].get("passed"),
                                         "detail": f"last log-log slope {fmt(result['scaling'].get('last_slope'))} (limit {T['scaling_slope']})"}
    return v


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--engines", default="pandoc,quarto",
                    help="report engines measured on the real project, comma-separated (config key report_engine); the first "
                         "one also runs the synthetic sizes; quarto is skipped with a note when `quarto` is not on PATH")
    ap.add_argument("--json", type=Path, help="write all figures as JSON here")
    ap.add_argument("--sizes", default="14x3,50x3,100x6", help="synthetic sizes COUNTRIESxROUNDS, comma-separated ('' to skip)")
    ap.add_argument("--expect-reports", type=int, default=45,
                    help="HTML and PDF files a full 14 x 3 build writes under reports/ (default: 14 countries + the comparative "
                         "report, HTML and PDF each, and 15 HTML quality-assurance annexes)")
    ap.add_argument("--country", default="BG", help="country whose evidence file is edited")
    ap.add_argument("--workdir", type=Path, help="keep the copies here (default: a temporary folder, removed)")
    ap.add_argument("--source", type=Path, default=ROOT)
    ap.add_argument("--repeat", type=int, default=1, help="repeat each measurement in fresh copies and keep the fastest (other sessions' load)")
    ap.add_argument("--new-round", default="2023", help="round added by `python -m niem.collect new-round` for the 4-round "
                    "build (issue 15); '' to skip")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds one Snakemake run may take")
    args = ap.parse_args(argv)

    engines, skipped = engines_to_run(args.engines)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="niem-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args.cores, engines[0], work, args.timeout)
    say = lambda *a: print(*a, flush=True)  # noqa: E731
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=args.source, capture_output=True, text=True).stdout.strip()
    result: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                                "load_before": os.getloadavg()},
                    "source": {"path": str(args.source), "commit": commit or None}, "cores": args.cores,
                    "engine": engines[0], "skipped_engines": skipped, "targets": TARGETS, "repeat": args.repeat}
    say(f"benchmark of {args.source} ({commit or 'no git'}) on {args.cores} cores, engines {', '.join(engines)}"
        + "".join(f" ({k} {v})" for k, v in skipped.items()) + f", copies in {work}")

    # 1. the real project under each engine: full rebuild, no-op, one country
    result["engines"] = {e: measure_engine(args, work, e, say) for e in engines}
    base = result["engines"][engines[0]]
    result.update({k: base[k] for k in ("stand_ins", "config_args", "rules", "full", "noop", "one_country", "robustness")})

    # 1b. a new round collected and imported for every country, then the 4-round build (issue 15)
    result["new_round"] = (measure_new_round(args, work, engines[0], say) if args.new_round
                           else {"present": False, "note": "skipped (--new-round '')"})

    # 2. fixed costs
    say("  fixed costs (empty Python job, imports) ...")
    mods = sorted({m for r in result["full"]["per_rule"].values() for m in r["modules"]} | {"pandas", "pyarrow"})
    result["fixed_costs"] = {"empty_python_job": empty_job_cost(bench), "imports": import_costs(mods)}

    # 3. synthetic scale runs with the first engine (the fastest of --repeat runs per size): full
    #    rebuild, no-op, and a one-country rebuild (one note in the first unit's last-round evidence)
    result["scale"] = []
    for size in [s for s in args.sizes.split(",") if s.strip()]:
        c, r = (int(x) for x in size.lower().split("x"))
        runs = []
        for i in range(args.repeat):
            say(f"  [{i + 1}/{args.repeat}] SYNTHETIC {c} x {r}: generating, full rebuild, no-op, one-country rebuild ...")
            sp = work / f"synthetic_{c}x{r}"
            shutil.rmtree(sp, ignore_errors=True)
            made = make_synthetic_project(sp, c, r, source=args.source)
            run = bench.snakemake(sp)
            run["noop_s"] = bench.snakemake(sp)["wall_s"]
            run["reports"] = count_reports(sp, run["t0"])
            time.sleep(1.1)  # a new mtime, also on file systems with 1 s resolution
            cfg = yaml.safe_load((sp / "config" / "config.yaml").read_text(encoding="utf-8"))
            edited = sp / cfg.get("raw_dir", "raw") / "evidence" / cfg["rounds"][-1]["id"] / f"{made['countries'][0]}.csv"
            run["one_edit"] = f"{edited.relative_to(sp)}: {edit_one_note(edited)}"
            one = bench.snakemake(sp)
            run["one_s"], run["one_jobs"] = one["wall_s"], one["steps"]
            runs.append(run)
            shutil.rmtree(sp, ignore_errors=True)
        run = min(runs, key=lambda x: x["wall_s"])
        one_s = min(x["one_s"] for x in runs)
        result["scale"].append({"countries": c, "rounds": r, "country_rounds": c * r, "wall_s": run["wall_s"],
                                "all_s": [x["wall_s"] for x in runs], "jobs": run["steps"],
                                "s_per_country_round": run["wall_s"] / (c * r), "noop_s": min(x["noop_s"] for x in runs),
                                "one_country_s": one_s, "one_country_jobs": run["one_jobs"], "one_country_edit": run["one_edit"],
                                "one_country_share": one_s / run["wall_s"], "reports": run["reports"],
                                "share_outside_computation": breakdown(run, args.cores)["share_outside_computation"]})
    result["scaling"] = scaling_verdict([(s["country_rounds"], s["wall_s"]) for s in result["scale"]])
    result["machine"]["load_after"] = os.getloadavg()

    # 4. verdicts
    result["verdicts"] = verdicts(result, args.expect_reports)
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
        say(f"JSON written to {args.json}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def print_report(R: dict) -> None:
    f, n, o, rb = R["full"], R["noop"], R["one_country"], R["robustness"]
    bd = f["breakdown"]
    rows = []
    for name, E in R["engines"].items():
        ef, en, eo = E["full"], E["noop"], E["one_country"]
        rows += [(f"[{name}] full rebuild (14 x 3, from clean)", ef["wall_s"], ef["jobs"],
                  f"{ef['reports']} reports; {ef['breakdown']['share_outside_computation']:.0%} outside computation"),
                 (f"[{name}] no-op re-run", en["wall_s"], en["jobs"], "nothing to be done" if en["nothing_to_do"] else "JOBS RAN"),
                 (f"[{name}] one-country rebuild", eo["wall_s"], eo["jobs"],
                  f"{eo['share_of_full']:.2f} x full; scores unchanged: {eo['scores_unchanged']}; rules: {', '.join(eo['rules'])}")]
    for name, note in R.get("skipped_engines", {}).items():
        rows.append((f"[{name}] full, no-op, one-country", None, None, note))
    nr = R.get("new_round", {"present": False, "note": "not measured"})
    if nr["present"]:
        rows += [(f"new round {nr['round']}: config line + questionnaires", nr["new_round_s"], None,
                  "python -m niem.collect new-round (answers then SIMULATED from the previous round)"),
                 (f"new round {nr['round']}: {nr['imports']} questionnaire imports", nr["import_s"], None,
                  f"one python -m niem.collect import per country; slowest {nr['import_max_s']:.2f} s"),
                 (f"new round {nr['round']}: full build {nr['countries']} x {len(nr['rounds'])}", nr["build_s"], nr["jobs"],
                  f"{nr['reports']} reports; rounds {', '.join(nr['rounds'])}; {nr['countries_scored_in_new_round']} of "
                  f"{nr['countries']} countries scored in {nr['round']}")]
    else:
        rows.append(("new round (issue 15)", None, None, nr["note"]))
    rows.append(("robustness Monte Carlo alone", rb.get("alone_wall_s"), rb.get("alone_jobs"),
                 f"rules {', '.join(rb['rules'])}; {rb['job_s_in_full_run']:.1f} job-s in the full run" if rb["present"] else "not present"))
    for s in R["scale"]:
        rows.append((f"SYNTHETIC {s['countries']} x {s['rounds']} full rebuild", s["wall_s"], s["jobs"],
                     f"{s['s_per_country_round']:.3f} s per country-round; no-op {s['noop_s']:.2f} s; "
                     f"{s['share_outside_computation']:.0%} outside computation; {s['reports']} reports"))
        rows.append((f"SYNTHETIC {s['countries']} x {s['rounds']} one-country rebuild", s["one_country_s"], s["one_country_jobs"],
                     f"{s['one_country_share']:.2f} x full; {s['one_country_edit']}"))
    e = R["fixed_costs"]["empty_python_job"]
    rows.append(("empty Python job (fixed cost per job)", e["per_job_s"], e["jobs"], f"one-job workflow {e['one_job_workflow_s']:.2f} s"))
    print(f"\nmachine: {R['machine']['cpus']} CPUs, load {R['machine']['load_before'][0]:.2f} -> {R['machine']['load_after'][0]:.2f}; "
          f"{R['cores']} cores; engines {', '.join(R['engines'])} (synthetic sizes: {R['engine']}); source {R['source']['commit']}; "
          f"config args {R['config_args'] or 'none'}")
    print(f"\n{'measurement':<50} {'wall s':>8} {'jobs':>5}  note")
    for name, wall, jobs, note in rows:
        print(f"{name:<50} {fmt(wall):>8} {fmt(jobs):>5}  {note}")
    if R.get("repeat", 1) > 1:
        print(f"(fastest of {R['repeat']} runs each; all runs, s: full {fmt_list(f['all_s'])}, no-op {fmt_list(n['all_s'])}, "
              f"one-country {fmt_list(o['all_s'])}" + "".join(f", {s['countries']}x{s['rounds']} {fmt_list(s['all_s'])}" for s in R["scale"]) + ")")
    print(f"\nwhere the full rebuild's {bd['core_seconds']:.1f} core-seconds ({R['cores']} cores x wall) went:")
    for k, v in bd["parts_core_s"].items():
        print(f"  {k:<68} {v:7.2f}  {v / bd['core_seconds']:5.0%}")
    print(f"  (Snakemake before the first job: {bd['before_first_job_s']:.2f} s; after the last: {bd['after_last_job_s']:.2f} s)")
    print(f"  jobs run in the warm worker (niem/run/warm.py; the server's own imports are not job time): "
          f"{bd['warm_jobs']} of {bd['jobs']}")
    ob = o["breakdown"]
    print(f"  one-country rebuild: Snakemake before the first job {ob['before_first_job_s']:.2f} s, after the last "
          f"{ob['after_last_job_s']:.2f} s; jobs (s): " + ", ".join(f"{k} {v['job_s']:.2f}" for k, v in o["per_rule"].items()))
    wb = o["work_bound"]
    print(f"  one-country rebuild, work bound: these jobs take {wb['job_s']:.2f} job-s; even spread perfectly over "
          f"{R['cores']} cores, with Snakemake's time before and after, they need {wb['wall_s']:.2f} s = "
          f"{wb['share_of_full']:.2f} x full")
    print(f"\n{'rule':<24} {'jobs':>5} {'job s':>7} {'main s':>7} {'imp. s':>7} {'rest s':>7}  heavy modules imported (import s, all jobs)")
    for rule, r in sorted(f["per_rule"].items(), key=lambda kv: -kv[1]["job_s"]):
        by = r.get("import_s_by_module", {})
        mods = ", ".join(f"{m} {by[m]:.2f}" if m in by else m for m in r["modules"])
        print(f"{rule:<24} {r['jobs']:>5} {r['job_s']:7.2f} {r['compute_s']:7.2f} {r['imports_s']:7.2f} {r['rest_s']:7.2f}  {mods}")
    print("  (main = niem.run.runner's 'done in' less the imports inside it; rest = start-up, preamble, dispatch)")
    print("\nimport costs in a fresh interpreter (s, median): " +
          ", ".join(f"{k} {v:.2f}" for k, v in R["fixed_costs"]["imports"].items()))
    sc = R["scaling"]
    if sc.get("segments"):
        print("scaling: " + "; ".join(f"{s['from']}->{s['to']} country-rounds: slope {s['loglog_slope']:.2f}, "
                                       f"{s['marginal_s_per_country_round']:.3f} s each" for s in sc["segments"])
              + f"; fit {sc['linear_fit']['fixed_s']:.1f} s + {sc['linear_fit']['s_per_country_round']:.3f} s x country-rounds")
    print("\ntargets:")
    for name, v in R["verdicts"].items():
        mark = "n/a " if v["passed"] is None else ("PASS" if v["passed"] else "FAIL")
        print(f"  {mark}  {name:<45} {v['detail']}")


if __name__ == "__main__":
    sys.exit(main())
