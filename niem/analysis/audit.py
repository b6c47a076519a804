"""Data-availability audits: what was answered, what was "no data", and how that changed.

All functions take rows of the ``indicator_scores`` table (a DataFrame with country, round,
indicator_id, dimension, step, kind, status) and return DataFrames in the column order of the
tables registered in ``niem.analysis_tables``, sorted so that the output is deterministic.
``share_with_data`` uses the coverage base of the scoring rules: indicators answered "not
applicable" are left out of the denominator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scoring.change import round_pairs

STATUSES = ("answered", "no_data", "not_applicable", "unanswered")
COUNT_COLUMNS = {"answered": "n_answered", "no_data": "n_no_data", "not_applicable": "n_not_applicable",
                 "unanswered": "n_unanswered"}


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den as floats, null where den is 0."""
    return (num / den.where(den > 0)).astype("float64")


def status_counts(ind: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Indicators per status for each group of ``keys`` (null keys kept), with share_with_data."""
    counts = (ind.groupby(keys, dropna=False, sort=False)["status"].value_counts().unstack(fill_value=0)
              .reindex(columns=list(STATUSES), fill_value=0).rename(columns=COUNT_COLUMNS))
    counts.columns.name = None
    counts = counts.reset_index()
    counts["n_indicators"] = counts[list(COUNT_COLUMNS.values())].sum(axis=1)
    counts["share_with_data"] = _ratio(counts["n_answered"], counts["n_indicators"] - counts["n_not_applicable"])
    return counts.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)


def availability_audit(ind: pd.DataFrame) -> pd.DataFrame:
    """Status counts per country x round x dimension x step x kind (step null for unscored kinds)."""
    return status_counts(ind, ["country", "round", "dimension", "step", "kind"])


def indicator_availability(ind: pd.DataFrame, themes: dict[str, str | None]) -> pd.DataFrame:
    """Per round and indicator: countries asked, with data, and with 'no data'."""
    c = status_counts(ind, ["round", "indicator_id", "dimension", "kind"])
    c["theme"] = c["indicator_id"].map(themes)
    c["n_countries"] = c["n_indicators"]
    c["n_with_data"] = c["n_answered"]
    c["share_no_data"] = _ratio(c["n_no_data"], c["n_countries"] - c["n_not_applicable"])
    return c


def availability_change(ind: pd.DataFrame, rounds: list[str]) -> pd.DataFrame:
    """Share of applicable indicators with data per country and kind (and 'all'), for every round pair."""
    shares = pd.concat([status_counts(ind, ["country", "round", "kind"]),
                        status_counts(ind.assign(kind="all"), ["country", "round", "kind"])])
    shares = shares.set_index(["country", "kind", "round"])["share_with_data"]
    frames = []
    for r1, r2 in round_pairs(rounds):
        a = shares.xs(r1, level="round").rename("share_with_data_from")
        b = shares.xs(r2, level="round").rename("share_with_data_to")
        pair = pd.concat([a, b], axis=1, join="inner").reset_index()
        pair.insert(2, "from_round", r1)
        pair.insert(3, "to_round", r2)
        frames.append(pair)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["country", "kind", "from_round", "to_round", "share_with_data_from", "share_with_data_to"])
    out["change"] = out["share_with_data_to"] - out["share_with_data_from"]
    return out.sort_values(["country", "kind", "from_round", "to_round"], kind="stable").reset_index(drop=True)


def _text(s: pd.Series) -> pd.Series:
    return s.astype("object").where(s.notna(), "").astype(str).str.strip()


def bip_statistics_availability(bip: pd.DataFrame) -> pd.DataFrame:
    """Availability class of each BIP statistic (rows of bip_statistics.parquet).

    no_data and upper_bound come from ``status``; a reported figure is ``flow`` when its basis is
    a flow (reported instead of a stock), ``estimate`` when its qualifier says it is an estimate,
    else ``present``. Any other status is passed through unchanged.
    """
    status, basis, qualifier, note = (_text(bip[c]) for c in ("status", "basis", "qualifier", "note"))
    reported = status == "reported"
    availability = np.select(
        [reported & (basis == "flow"), reported & qualifier.str.lower().str.contains("estimat"), reported],
        ["flow", "estimate", "present"], default=status.to_numpy())
    joined = ["; ".join(part for part in pair if part) or None for pair in zip(qualifier, note)]
    out = pd.DataFrame({"country": bip["country"], "measure": bip["measure"], "slot": bip["slot"],
                        "availability": availability, "basis": bip["basis"], "note": joined})
    return out.sort_values(["country", "measure", "slot"], kind="stable").reset_index(drop=True)
