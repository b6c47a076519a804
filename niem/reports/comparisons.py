"""The comparative analysis NIEM is read for, as pure functions of the score tables.

Each function returns a frame of numbers (read from the tables, never typed in) or sentences
written from such frames by fixed templates (``Finding``: the sentence and the numbers in it, so a
test can check every number against the tables). Formatting follows niem.reports.content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core.safety import markdown_text
from .content import Labels, fmt_change, fmt_score, is_missing, md_table

STEPS = ("legal", "policy", "implementation")
AVERAGE = "average"  # the row key of the cross-country mean in the comparison frames


@dataclass(frozen=True)
class Finding:
    """One generated sentence, with the values it prints (table, keys, value) for tests."""
    topic: str
    text: str
    values: tuple[tuple[str, float], ...] = field(default=())


def _pick(frame: pd.DataFrame, value: str, largest: bool) -> pd.Series:
    """The row with the largest (or smallest) ``value``; ties broken by the first key in order."""
    ordered = frame.sort_values([value, "country"] if "country" in frame else [value],
                                ascending=[not largest, True] if "country" in frame else [not largest], kind="mergesort")
    return ordered.iloc[0]


def step_comparison(steps: pd.DataFrame, round_id: str, countries: list[str]) -> pd.DataFrame:
    """Country x step scores of one round (overall_step_scores), with the legal-minus-implementation
    gap, and a last row AVERAGE: the mean over the countries with a score (the gap of the means)."""
    part = steps[steps["round"] == round_id]
    wide = part.pivot(index="country", columns="step", values="score").reindex(index=countries, columns=list(STEPS))
    wide["gap"] = wide["legal"] - wide["implementation"]
    mean = wide[list(STEPS)].mean()
    wide.loc[AVERAGE] = [*mean.tolist(), mean["legal"] - mean["implementation"]]
    return wide.rename_axis("country").reset_index()


def area_comparison(areas: pd.DataFrame, round_id: str, countries: list[str], area_ids: list[str]) -> pd.DataFrame:
    """Country x area scores of one round (area_scores), with the AVERAGE row."""
    part = areas[areas["round"] == round_id]
    wide = part.pivot(index="country", columns="area", values="score").reindex(index=countries, columns=area_ids)
    wide.loc[AVERAGE] = wide.mean().tolist()
    return wide.rename_axis("country").reset_index()


def change_counts(change: pd.DataFrame, from_round: str, to_round: str, countries: list[str]) -> pd.DataFrame:
    """Per country: dimensions improved, stable and declined between two rounds (change table,
    dimension level, its change_class), and the number of dimensions with a change."""
    part = change[(change["level"] == "dimension") & (change["from_round"] == from_round) & (change["to_round"] == to_round)
                  & change["change"].notna()]
    rows = []
    for c in countries:
        classes = part.loc[part["country"] == c, "change_class"]
        rows.append({"country": c, "improved": int((classes == "improved").sum()), "stable": int((classes == "stable").sum()),
                     "declined": int((classes == "declined").sum()), "n_dimensions": int(len(classes))})
    return pd.DataFrame(rows)


def dimension_change(change: pd.DataFrame, models: pd.DataFrame, from_round: str, to_round: str,
                     dimensions: list[str]) -> pd.DataFrame:
    """Per dimension between two rounds: countries improved / declined, the mean change over
    countries, and the model estimate of the average change with its interval (change_models,
    model cells_cluster_country, level dimension, all steps)."""
    part = change[(change["level"] == "dimension") & (change["from_round"] == from_round) & (change["to_round"] == to_round)]
    m = models[(models["model"] == "cells_cluster_country") & (models["level"] == "dimension") & (models["from_round"] == from_round)
               & (models["to_round"] == to_round) & (models["term"] == "mean_change")]
    if "step" in m:
        m = m[m["step"].isna()]
    est = m.set_index("dimension")
    rows = []
    for d in dimensions:
        g = part[part["dimension"] == d]
        rows.append({"dimension": d, "improved": int((g["change_class"] == "improved").sum()),
                     "declined": int((g["change_class"] == "declined").sum()), "mean_change": g["change"].mean(),
                     "estimate": est.at[d, "estimate"] if d in est.index else float("nan"),
                     "ci_low": est.at[d, "ci_low"] if d in est.index else float("nan"),
                     "ci_high": est.at[d, "ci_high"] if d in est.index else float("nan")})
    return pd.DataFrame(rows)


def _name(labels: Labels, code: str) -> str:
    return labels.countries.get(code, code)


def written_findings(overall: pd.DataFrame, areas: pd.DataFrame, dimensions: pd.DataFrame, steps: pd.DataFrame,
                     labels: Labels, dimension_names: dict[str, str]) -> list[Finding]:
    """The comparative findings, one sentence each, every number from the tables given:
    highest and lowest country overall and per area (latest round); the widest and narrowest
    dimension spread; the weakest step on average and the legal-implementation gap; the countries
    that moved most and whether countries converged (first to latest round)."""
    first, latest = labels.rounds[0], labels.rounds[-1]
    out: list[Finding] = []
    now = overall[(overall["round"] == latest) & overall["score"].notna()]
    if len(now) >= 2:
        hi, lo = _pick(now, "score", True), _pick(now, "score", False)
        out.append(Finding("overall", f"In {latest}, {_name(labels, hi['country'])} had the highest overall score "
                                      f"({fmt_score(hi['score'])}) and {_name(labels, lo['country'])} the lowest "
                                      f"({fmt_score(lo['score'])}), {fmt_score(hi['score'] - lo['score'])} points apart.",
                           (("overall_scores", hi["score"]), ("overall_scores", lo["score"]),
                            ("difference", hi["score"] - lo["score"]))))
    a_now = areas[(areas["round"] == latest) & areas["score"].notna()]
    for area, name in labels.areas.items():
        g = a_now[a_now["area"] == area]
        if len(g) >= 2:
            hi, lo = _pick(g, "score", True), _pick(g, "score", False)
            out.append(Finding(f"area:{area}", f"{name}: highest {_name(labels, hi['country'])} ({fmt_score(hi['score'])}), "
                                               f"lowest {_name(labels, lo['country'])} ({fmt_score(lo['score'])}).",
                               (("area_scores", hi["score"]), ("area_scores", lo["score"]))))
    d_now = dimensions[(dimensions["round"] == latest) & dimensions["score"].notna()]
    spread = (d_now.groupby("dimension")["score"].agg(["max", "min"]).assign(spread=lambda f: f["max"] - f["min"])
              .reset_index())
    spread = spread[spread["dimension"].isin(list(dimension_names))]
    if len(spread) >= 2:
        wide, narrow = _pick(spread, "spread", True), _pick(spread, "spread", False)
        out.append(Finding("spread", f"Countries differ most in {dimension_names[wide['dimension']]}, where "
                                     f"{fmt_score(wide['spread'])} points separate the highest and lowest score, and least in "
                                     f"{dimension_names[narrow['dimension']]} ({fmt_score(narrow['spread'])} points); the average "
                                     f"spread over the {len(spread)} dimensions is {fmt_score(spread['spread'].mean())} points.",
                           (("spread", wide["spread"]), ("spread", narrow["spread"]), ("count", len(spread)),
                            ("spread", spread["spread"].mean()))))
    table = step_comparison(steps, latest, list(labels.countries))
    avg = table[table["country"] == AVERAGE].iloc[0]
    if not any(is_missing(avg[s]) for s in STEPS):
        weakest = min(STEPS, key=lambda s: (avg[s], STEPS.index(s)))
        countries = table[(table["country"] != AVERAGE) & table["gap"].notna()]
        n_gap = int((countries["gap"] > 0).sum())
        out.append(Finding("steps", f"Averaged over the countries, the weakest step in {latest} is "
                                    f"{labels.steps[weakest]} ({fmt_score(avg[weakest])}); the legal framework averages "
                                    f"{fmt_score(avg['legal'])} and implementation & collaboration {fmt_score(avg['implementation'])}, "
                                    f"a gap of {fmt_score(avg['gap'])} points. Implementation scores below the law in "
                                    f"{n_gap} of {len(countries)} countries.",
                           (("overall_step_scores", avg[weakest]), ("overall_step_scores", avg["legal"]),
                            ("overall_step_scores", avg["implementation"]), ("gap", avg["gap"]), ("count", n_gap),
                            ("count", len(countries)))))
    if first != latest:
        wide_o = overall.pivot(index="country", columns="round", values="score")
        moved = (wide_o[latest] - wide_o[first]).dropna().rename("score").reset_index()
        if len(moved) >= 2:
            up, down = _pick(moved, "score", True), _pick(moved, "score", False)
            out.append(Finding("movers", f"From {first} to {latest}, {_name(labels, up['country'])} moved most upwards "
                                         f"({fmt_change(up['score'])} points overall) and {_name(labels, down['country'])} "
                                         f"{'most downwards' if down['score'] < 0 else 'least'} ({fmt_change(down['score'])}).",
                               (("change", up["score"]), ("change", down["score"]))))
        sd_from = wide_o[first].dropna().std(ddof=1)
        sd_to = wide_o[latest].dropna().std(ddof=1)
        if not (is_missing(sd_from) or is_missing(sd_to)):
            word = "converged" if sd_to < sd_from else "diverged" if sd_to > sd_from else "kept the same spread"
            out.append(Finding("convergence", f"Overall scores {word} between {first} and {latest}: their standard deviation "
                                              f"across countries went from {fmt_score(sd_from)} to {fmt_score(sd_to)} points.",
                               (("sd", sd_from), ("sd", sd_to))))
    return out


def change_sentences(counts: pd.DataFrame, by_dimension: pd.DataFrame, labels: Labels, dimension_names: dict[str, str],
                     from_round: str, to_round: str) -> list[Finding]:
    """'France improved in 10 of 12 dimensions' for the countries that improved and declined in the
    most dimensions, and the dimensions with the most improvement and backsliding (model interval)."""
    out: list[Finding] = []
    c = counts[counts["n_dimensions"] > 0]
    if not c.empty:
        up, down = _pick(c, "improved", True), _pick(c, "declined", True)
        out.append(Finding("improved", f"From {from_round} to {to_round}, {_name(labels, up['country'])} improved in "
                                       f"{up['improved']} of {up['n_dimensions']} dimensions, more than any other country; "
                                       f"{_name(labels, down['country'])} declined in {down['declined']} of {down['n_dimensions']}.",
                           (("count", up["improved"]), ("count", up["n_dimensions"]), ("count", down["declined"]),
                            ("count", down["n_dimensions"]))))
    d = by_dimension[by_dimension["mean_change"].notna()].rename(columns={"dimension": "country"})  # _pick tie-break key
    if len(d) >= 2:
        best, worst = _pick(d, "mean_change", True), _pick(d, "mean_change", False)

        def interval(row):
            if is_missing(row["estimate"]):
                return "no model estimate"
            return f"model estimate {fmt_change(row['estimate'])}, 95% interval {fmt_change(row['ci_low'])} to {fmt_change(row['ci_high'])}"
        out.append(Finding("dimensions", f"The most improvement was in {dimension_names[best['country']]} (mean change "
                                         f"{fmt_change(best['mean_change'])} points, {best['improved']} countries improved; "
                                         f"{interval(best)}), {'the most backsliding' if worst['mean_change'] < 0 else 'the least'} in {dimension_names[worst['country']]} "
                                         f"(mean change {fmt_change(worst['mean_change'])}, {worst['declined']} countries declined; "
                                         f"{interval(worst)}).",
                           tuple(v for v in (("change", best["mean_change"]), ("count", best["improved"]),
                                             ("estimate", best["estimate"]), ("ci", best["ci_low"]), ("ci", best["ci_high"]),
                                             ("change", worst["mean_change"]), ("count", worst["declined"]),
                                             ("estimate", worst["estimate"]), ("ci", worst["ci_low"]), ("ci", worst["ci_high"]))
                                 if not is_missing(v[1]))))
    return out


def recommendation_digest(findings: pd.DataFrame, labels: Labels, dimension_names: dict[str, str]) -> tuple[list[tuple[str, list[tuple[str, str]]]], dict[str, int]]:
    """National recommendations grouped by their dimension tags, in codebook order: (dimension
    name, [(country name, text), ...]); a recommendation with two tags is listed under both. Also
    the number of untagged recommendations per country name (shown in the country reports)."""
    recs = findings[findings["section"] == "recommendation"].sort_values(["country", "item"], kind="mergesort")
    groups: dict[str, list[tuple[str, str]]] = {d: [] for d in dimension_names}
    untagged: dict[str, int] = {}
    for r in recs.to_dict("records"):
        dims = [d for d in (r["dimensions"] or "").split(";") if d] if not is_missing(r["dimensions"]) else []
        if not dims:
            name = _name(labels, r["country"])
            untagged[name] = untagged.get(name, 0) + 1
        for d in dims:
            groups.setdefault(d, []).append((_name(labels, r["country"]), r["text"]))
    return [(dimension_names.get(d, d), items) for d, items in groups.items() if items], untagged


# ---------------------------------------------------------------- markdown for the report sections

def _row_name(labels: Labels, code: str) -> str:
    return "**Average of the countries**" if code == AVERAGE else markdown_text(_name(labels, code))


def step_table(table: pd.DataFrame, labels: Labels) -> str:
    """Country x step, ordered by the implementation score (highest first), the average last."""
    body = table[table["country"] != AVERAGE].sort_values(["implementation", "country"], ascending=[False, True], na_position="last")
    rows = [[_row_name(labels, r["country"]), *(fmt_score(r[s]) for s in STEPS), fmt_change(r["gap"])]
            for r in [*body.to_dict("records"), *table[table["country"] == AVERAGE].to_dict("records")]]
    return md_table(rows, ["Country", "Legal framework", "Policy framework", "Implementation & collaboration",
                           "Legal minus implementation"])


def area_table(table: pd.DataFrame, labels: Labels) -> str:
    """Country x area, ordered by the mean of the area scores (highest first), the average last."""
    areas = list(labels.areas)
    body = table[table["country"] != AVERAGE].assign(_mean=lambda f: f[areas].mean(axis=1))
    body = body.sort_values(["_mean", "country"], ascending=[False, True], na_position="last")
    rows = [[_row_name(labels, r["country"]), *(fmt_score(r[a]) for a in areas)]
            for r in [*body.to_dict("records"), *table[table["country"] == AVERAGE].to_dict("records")]]
    return md_table(rows, ["Country", *(markdown_text(labels.areas[a]) for a in areas)])


def counts_table(counts: pd.DataFrame, labels: Labels) -> str:
    ordered = counts.sort_values(["improved", "declined", "country"], ascending=[False, True, True])
    rows = [[markdown_text(_name(labels, r["country"])), str(r["improved"]), str(r["stable"]), str(r["declined"]),
             str(r["n_dimensions"])] for r in ordered.to_dict("records")]
    return md_table(rows, ["Country", "Improved", "Stable", "Declined", "Dimensions compared"])


def dimension_change_table(by_dim: pd.DataFrame, names: dict[str, str]) -> str:
    rows = [[markdown_text(names[r["dimension"]]), str(r["improved"]), str(r["declined"]), fmt_change(r["mean_change"]),
             fmt_change(r["estimate"]), "n/a" if is_missing(r["ci_low"]) else f"{fmt_change(r['ci_low'])} to {fmt_change(r['ci_high'])}"]
            for r in by_dim.to_dict("records")]
    return md_table(rows, ["Dimension", "Countries improved", "Countries declined", "Mean change", "Model estimate", "95% interval"])


def comparative_sections(t: dict[str, pd.DataFrame], labels: Labels, names: dict[str, str]) -> dict:
    """Template context of the sections in workflow/report/sections/comparative_*.qmd.j2.
    ``names``: dimension id -> NIEM's name (narrative.niem_names)."""
    countries = list(labels.countries)
    first, latest = labels.rounds[0], labels.rounds[-1]
    findings = written_findings(t["overall_scores"], t["area_scores"], t["dimension_scores"], t["overall_step_scores"],
                                labels, names)
    change = []
    for a, b in labels.pairs():
        counts = change_counts(t["change"], a, b, countries)
        by_dim = dimension_change(t["change"], t["change_models"], a, b, list(names))
        change.append({"pair": f"{a} to {b}", "sentences": [markdown_text(f.text) for f in change_sentences(counts, by_dim, labels, names, a, b)],
                       "counts_table": counts_table(counts, labels), "dimension_table": dimension_change_table(by_dim, names)})
    digest, untagged = recommendation_digest(t["findings"], labels, names)
    conclusions = t["comparative_conclusions"].sort_values("paragraph")
    return {
        "findings_sentences": [markdown_text(f.text) for f in findings],
        "step_tables": [(r, step_table(step_comparison(t["overall_step_scores"], r, countries), labels)) for r in labels.rounds],
        "area_comparison_table": area_table(area_comparison(t["area_scores"], latest, countries, list(labels.areas)), labels),
        "first_round": first,
        "change_by_pair": change,
        "conclusion_paragraphs": [markdown_text(x) for x in conclusions.loc[conclusions["kind"] == "paragraph", "text"]],
        "conclusion_footnotes": [markdown_text(x) for x in conclusions.loc[conclusions["kind"] == "footnote", "text"]],
        "recommendation_digest": [(markdown_text(d), [(markdown_text(c), markdown_text(x)) for c, x in items]) for d, items in digest],
        "untagged_recommendations": ", ".join(f"{markdown_text(c)} {n}" for c, n in sorted(untagged.items())),
    }
