#!/usr/bin/env python
"""Time the robustness Monte Carlo alone (run by hand, not in CI).

Reads the pipeline's results/indicator_scores.parquet and results/codebook.json (build them first:
snakemake --cores 2 tables) and the settings in config/config.yaml, then times drawing the method
choices and scoring/ranking every draw, and prints draws, countries x rounds and seconds.
Usage:  python benchmarks/robustness_benchmark.py [--draws N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyarrow.parquet as pq  # noqa: E402

from niem.inputs.codebook import build_codebook  # noqa: E402
from niem.inputs.config import country_codes, load_config, round_ids  # noqa: E402
from niem.analysis.robustness import build_arrays, draw_choices, monte_carlo  # noqa: E402
from niem.scoring.rules.rules import ScoringRules  # noqa: E402


def main() -> int:
    config = load_config(ROOT / "config" / "config.yaml")
    settings = config["analysis"]["robustness"]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=settings["draws"])
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the fastest is reported")
    args = ap.parse_args()
    results = ROOT / config["results_dir"]
    with open(results / "codebook.json", encoding="utf-8") as fh:
        codebook = build_codebook(json.load(fh))
    columns = pq.read_table(results / "indicator_scores.parquet",
                            columns=["country", "round", "indicator_id", "kind", "status", "points"]).to_pydict()
    rules = ScoringRules.from_config(config["scoring"])
    arrays = build_arrays(columns, codebook, sorted(country_codes(config)), round_ids(config))
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        choices = draw_choices(arrays, rules, args.draws, settings["seed"], settings["choices"],
                               settings["step_weight_concentration"], settings["alternative_probability"])
        monte_carlo(arrays, rules, choices)
        times.append(time.perf_counter() - start)
    print(f"draws: {args.draws}")
    print(f"countries x rounds: {len(arrays.countries)} x {len(arrays.rounds)} = {arrays.n_units}")
    print(f"seconds: {min(times):.2f} (fastest of {args.repeat}; all: {', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
