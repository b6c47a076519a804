"""Per-country extracts of the cross-country tables, for the country reports.

A country report must be rebuilt exactly when what it shows changes. It reads its own country's
tables, plus these two extracts of the cross-country analysis: its position among the countries
(robustness_scores) and its change with model intervals (change + country_change_intervals).
They are written by a checkpoint (workflow/rules/reports.smk), so a report whose extract came out
byte-identical is not re-rendered when another country changes.
"""

from __future__ import annotations

import pandas as pd


def position_extract(robustness: pd.DataFrame) -> pd.DataFrame:
    """robustness_scores with the number of countries ranked per round and level (all countries)."""
    keys = ["round", "level", "dimension"]
    scored = robustness[robustness["score_baseline"].notna()]
    counts = scored.groupby(keys, dropna=False).size().rename("n_ranked").reset_index()
    out = robustness.merge(counts, on=keys, how="left")
    out["n_ranked"] = out["n_ranked"].fillna(0).astype("int64")
    return out


def change_extract(change: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """The change table's overall and dimension rows next to the paired-change model intervals."""
    keys = ["country", "from_round", "to_round", "level", "dimension"]
    rows = change[change["level"].isin(["overall", "dimension"])]
    ivals = intervals.rename(columns={"change": "paired_change", "n_indicators": "n_paired"})
    out = rows.merge(ivals[keys + ["paired_change", "ci_low", "ci_high", "n_paired"]], on=keys, how="left")
    out["n_paired"] = out["n_paired"].fillna(0).astype("int64")
    return out


def benchmark_extract(overall: pd.DataFrame, dimensions: pd.DataFrame) -> pd.DataFrame:
    """Per round, overall and per dimension: the mean score over the countries with a score, the
    highest score and the countries holding it (rows sorted by round, level, dimension).

    The scores are rounded to the precision the reports print (one decimal): every country
    report reads this extract, so it changes, and re-renders all of them, only when a printed
    average or best score changes, not at every small change in one country."""
    frames = [overall.assign(level="overall", dimension=None), dimensions.assign(level="dimension")]
    scores = pd.concat([f[["country", "round", "level", "dimension", "score"]] for f in frames], ignore_index=True)
    scores = scores[scores["score"].notna()]
    rows = []
    for (r, level, dim), g in scores.groupby(["round", "level", scores["dimension"].fillna("")], sort=True):
        best = g["score"].max()
        rows.append({"round": r, "level": level, "dimension": dim or None, "mean_score": round(g["score"].mean(), 1),
                     "best_score": round(best, 1), "best_countries": ";".join(sorted(g.loc[g["score"] == best, "country"])),
                     "n_countries": len(g)})
    return pd.DataFrame(rows, columns=["round", "level", "dimension", "mean_score", "best_score", "best_countries", "n_countries"])


def split_by_country(frame: pd.DataFrame, countries: list[str]) -> dict[str, pd.DataFrame]:
    """One frame per configured country (empty when a country has no rows), rows in a fixed order."""
    groups = {c: g for c, g in frame.groupby("country", sort=False)}
    empty = frame.iloc[0:0]
    return {c: groups.get(c, empty).reset_index(drop=True) for c in countries}
