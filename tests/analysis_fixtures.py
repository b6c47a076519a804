"""Small synthetic fixtures for the analysis tests: a codebook of numeric indicators (points =
answer) and indicator rows in the shape of the indicator_scores table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from niem.inputs.codebook import build_codebook

DIMS = {"alpha": "A", "beta": "B"}
STEPS = {"legal": "L", "policy": "P", "implementation": "I"}


def numeric_codebook(per_cell: int = 3):
    """Two scored dimensions in two areas, three steps, ``per_cell`` numeric indicators per cell
    (0-100, best 100: points = answer)."""
    answer = {"type": "number", "unit": "points", "min": 0, "max": 100, "best": 100, "worst": 0}
    indicators = [dict(id=f"{dc}-{sc}{k:02d}", dimension=d, step=s, kind="scored", question="?", answer=answer,
                       theme=None, introduced="2017", retired_after=None)
                  for d, dc in DIMS.items() for s, sc in STEPS.items() for k in range(1, per_cell + 1)]
    return build_codebook({
        "codebook_version": "test", "title": "numeric", "description": "numeric test codebook",
        "areas": [{"id": "one", "name": "One"}, {"id": "two", "name": "Two"}],
        "dimensions": [{"id": "alpha", "code": "A", "name": "Alpha", "area": "one", "scored": True},
                       {"id": "beta", "code": "B", "name": "Beta", "area": "two", "scored": True}],
        "steps": [{"id": s, "code": c, "name": s} for s, c in STEPS.items()],
        "scales": {}, "indicators": indicators,
    })


def rows_from_points(codebook, points: dict, status: dict | None = None) -> list[dict]:
    """indicator_scores-like rows; ``points[(country, round)][indicator_id]`` gives the points,
    ``status[(country, round, indicator_id)]`` overrides the status (then points are null)."""
    status = status or {}
    rows = []
    for (country, round_id), pts in points.items():
        for ind in codebook.in_round(round_id):
            st = status.get((country, round_id, ind.id), "answered")
            p = pts.get(ind.id) if st == "answered" else None
            rows.append({"country": country, "round": round_id, "indicator_id": ind.id, "dimension": ind.dimension,
                         "step": ind.step, "kind": ind.kind, "status": st, "points": None if p is None else float(p)})
    return rows


def planted_rows(codebook, n_countries=30, shift=None, country_shift=None, noise=2.0, seed=1):
    """Rows for rounds 2019 and 2021: 2019 points uniform 20-80; 2021 = 2019 + the planted shift of
    the indicator's dimension (``shift``), + ``country_shift[country]``, + normal noise."""
    shift = shift or {"alpha": 10.0, "beta": 0.0}
    country_shift = country_shift or {}
    rng = np.random.default_rng(seed)
    ids = [i.id for i in codebook.indicators]
    dim = {i.id: i.dimension for i in codebook.indicators}
    points = {}
    for c in range(n_countries):
        country = f"C{c:02d}"
        before = dict(zip(ids, rng.uniform(20, 80, len(ids))))
        after = {i: v + shift[dim[i]] + country_shift.get(country, 0.0) + rng.normal(0, noise) for i, v in before.items()}
        points[(country, "2019")], points[(country, "2021")] = before, after
    return rows_from_points(codebook, points)


def one_row(df: pd.DataFrame, **key) -> pd.Series:
    """The single row of ``df`` matching ``key`` (a None value matches a null)."""
    sel = df
    for k, v in key.items():
        sel = sel[sel[k].isna()] if v is None else sel[sel[k] == v]
    assert len(sel) == 1, key
    return sel.iloc[0]
