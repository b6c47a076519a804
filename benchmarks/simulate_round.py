#!/usr/bin/env python
"""SIMULATED national researchers for the benchmark (issue 15): type the previous round's answers
into every country's questionnaire of a new round, as a researcher would fill the workbook.

    python benchmarks/simulate_round.py PROJECT ROUND

Run on a COPY of the project only (benchmarks/benchmark.py does): the answers it types are the
previous round's illustrative answers given again, not evidence. It uses the copy's own code
(`niem.collect`), so it measures whatever that tree has.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    project_dir, round_id = Path(argv[0]).resolve(), argv[1]
    sys.path.insert(0, str(project_dir))
    from openpyxl import load_workbook

    from niem.collect.project import load_project
    from niem.collect.questionnaire import fill_questionnaire
    from niem.inputs.evidence import load_evidence

    project = load_project(root=project_dir)
    previous = project.previous_round(round_id)
    if previous is None:
        raise SystemExit(f"round {round_id} has no previous round to copy answers from")
    for country in project.countries:
        path = project_dir / "questionnaires" / round_id / f"{country}.xlsx"
        wb = load_workbook(path)
        answers = load_evidence(project.evidence_path(previous, country), project.codebook, previous)
        fill_questionnaire(wb, answers, project.codebook)
        wb.save(path)
    print(f"filled {len(project.countries)} questionnaires of round {round_id} with the {previous} answers (SIMULATED)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
