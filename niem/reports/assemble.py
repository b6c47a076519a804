"""Assemble the country and comparative reports: figures, template context, .qmd, render.

The rule scripts read the tables and call these functions; the templates are in
workflow/report/*.qmd.j2, the stylesheet is workflow/report/report.css.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from ..analysis.audit import availability_audit
from ..core.io import atomic_path, write_text
from ..core.safety import yaml_string
from . import content as rc
from . import comparisons as cmp
from . import figures as fg
from . import register
from . import narrative as nv
from .render import render

TEMPLATES = Path(__file__).resolve().parents[2] / "workflow" / "report"
ENGINE_LABELS = {"quarto": "Quarto (`quarto render`)",
                 "pandoc": "pandoc (HTML) and pandoc + Typst (PDF), the engine used where Quarto is not installed"}
SOURCE_NOTE = "Source: NIEM-eval pipeline, {} (indicator answers illustrative)."


def fill_template(name: str, context: dict, template_dir: Path = TEMPLATES) -> str:
    """A .qmd from a Jinja2 template. Jinja comments use {## ##} because {# ... } is pandoc's
    attribute syntax; undefined variables are errors, not silently empty text."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_dir)), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             comment_start_string="{##", comment_end_string="##}", trim_blocks=True)
    env.filters["yaml_str"] = yaml_string  # markdown (escaped already) as a quoted YAML string
    return env.get_template(name).render(**context)


def prepare_workdir(work: Path) -> Path:
    """A clean work folder for one report (never shared between reports) with the stylesheet."""
    if work.exists():
        shutil.rmtree(work)
    (work / "figures").mkdir(parents=True)
    for name in ("report.css", "callout.lua"):
        shutil.copyfile(TEMPLATES / name, work / name)
    return work


def write_report(template: str, context: dict, qmd: Path, html: str, pdf: str, engine: str) -> None:
    write_text(qmd, fill_template(template, context))
    render(qmd, html, pdf, engine, css="report.css", lua_filter="callout.lua")


def _rank_frame(position: pd.DataFrame, labels: rc.Labels) -> pd.DataFrame:
    frame = position[position["level"] == "dimension"].copy()
    frame["label"] = frame["dimension"].map(labels.dimensions)
    return frame


# ---------------------------------------------------------------- country

def country_figures(t: dict[str, pd.DataFrame], labels: rc.Labels, country: str, figdir: Path) -> None:
    name = labels.countries[country]
    fg.save_png(fg.dimension_profile(t["dimension_scores"], labels.dimensions, labels.rounds,
                                     f"{name}: dimension scores by round", SOURCE_NOTE.format("dimension_scores")),
                figdir / "dimension_profile.png")
    if labels.pairs():  # with a single round there is no change to show
        change = t["report_change"][t["report_change"]["level"] == "dimension"].copy()
        change["label"] = change["dimension"].map(labels.dimensions)
        change["pair"] = change["from_round"] + " to " + change["to_round"]
        pairs = [f"{a} to {b}" for a, b in labels.pairs()]
        fg.save_png(fg.interval_plot(change, "label", "paired_change", "ci_low", "ci_high", "pair", pairs,
                                     f"{name}: change per dimension (points, 95% interval)", "Mean paired change (points)",
                                     SOURCE_NOTE.format("country_change_intervals"), labels=list(labels.dimensions.values())),
                    figdir / "change_intervals.png")
    ranks = _rank_frame(t["report_position"], labels)
    fg.save_png(fg.interval_plot(ranks, "label", "rank_baseline", "rank_p05", "rank_p95", "round", labels.rounds,
                                 f"{name}: rank per dimension (1 = highest, 90% interval)", "Rank",
                                 SOURCE_NOTE.format("robustness_scores"), zero_line=False,
                                 labels=list(labels.dimensions.values()), rank_of=len(labels.countries)),
                figdir / "rank_intervals.png")


def country_context(t: dict[str, pd.DataFrame], labels: rc.Labels, country: str, engine: str,
                    stable_threshold: float) -> dict:
    labels = labels.for_markdown()  # every name below enters markdown
    name, latest = labels.countries[country], labels.rounds[-1]
    overall = t["overall_scores"]
    latest_score = overall.loc[overall["round"] == latest, "score"]
    position = t["report_position"]
    pos = position[(position["level"] == "overall") & (position["round"] == latest)]
    latest_rank = None if pos.empty or rc.is_missing(pos.iloc[0]["rank_baseline"]) else rc.fmt_rank(pos.iloc[0]["rank_baseline"])
    findings = rc.findings_sections(t["findings"], labels)
    bip_table, bip_notes = rc.bip_statistics_table(t["bip_statistics"])
    counts, items = rc.clarification_tables(t["clarification_items"], labels)
    first, last = labels.rounds[0], labels.rounds[-1]
    return {
        "title": name,
        "subtitle": f"Integration of beneficiaries of international protection: policy scores {first}-{last}",
        "name": name, "code": country, "has_change": bool(labels.pairs()), "latest_round": latest, "latest_label": labels.round_labels[latest],
        "latest_headline": rc.headline(rc.fmt_score(latest_score.iloc[0]) if len(latest_score) else rc.NO_SCORE,
                                       "headline-overall", table="overall_scores", country=country, round=latest),
        "latest_rank": latest_rank, "n_ranked": int(pos.iloc[0]["n_ranked"]) if not pos.empty else 0,
        "n_countries": len(labels.countries),
        "overall_table": rc.overall_table(overall, t["overall_step_scores"], position, labels, country),
        "area_table": rc.area_table(t["area_scores"], labels),
        "dimension_table": rc.dimension_table(t["dimension_scores"], t["step_scores"], labels),
        "stable_threshold": stable_threshold,
        "change_overall_table": rc.change_overall_table(t["report_change"], labels),
        "change_dimension_table": rc.change_dimension_table(t["report_change"], labels),
        "rank_table": rc.rank_table(position, labels),
        "availability_table": rc.availability_table(availability_audit(t["indicator_scores"]), labels),
        "data_availability": findings["data_availability"],
        "bip_table": bip_table, "bip_notes": bip_notes,
        "conclusions": findings["conclusion"],
        "recommendations": rc.recommendations_by_dimension(t["findings"], labels),
        "data_recommendations": findings["data_recommendation"],
        "clarification_counts": counts, "clarification_items": items, "n_clarification": len(t["clarification_items"]),
        "engine_label": ENGINE_LABELS[engine],
    }


# ---------------------------------------------------------------- comparative

def comparative_figures(t: dict[str, pd.DataFrame], labels: rc.Labels, figdir: Path) -> None:
    dims = t["dimension_scores"]
    for r in labels.rounds:
        part = dims[dims["round"] == r]
        # dimensions as rows, country codes as columns: long names read horizontally
        matrix = (part.pivot(index="dimension", columns="country", values="score")
                  .reindex(index=list(labels.dimensions), columns=list(labels.countries)))
        matrix.index = [labels.dimensions[d] for d in matrix.index]
        fg.save_png(fg.heatmap(matrix, f"Dimension scores by country, {r} ({labels.round_labels[r]})", "Score (0-100)",
                               SOURCE_NOTE.format("dimension_scores")), figdir / f"heatmap_{r}.png")
    latest = labels.rounds[-1]
    fg.save_png(fg.range_plot(dims[dims["round"] == latest], labels.dimensions,
                              f"Spread between the highest and lowest country, {latest}",
                              SOURCE_NOTE.format("dimension_scores")), figdir / "spread.png")
    rob = t["robustness_scores"]
    overall = rob[rob["level"] == "overall"].copy()
    order = overall[overall["round"] == latest].sort_values(["rank_baseline", "country"])["country"].tolist()
    order += [c for c in labels.countries if c not in order]
    overall["label"] = overall["country"].map(lambda c: f"{labels.countries.get(c, c)} ({c})")
    fg.save_png(fg.interval_plot(overall, "label", "rank_baseline", "rank_p05", "rank_p95", "round", labels.rounds,
                                 "Overall rank by round (1 = highest, 90% interval)", "Rank",
                                 SOURCE_NOTE.format("robustness_scores"), zero_line=False,
                                 labels=[f"{labels.countries[c]} ({c})" for c in order if c in labels.countries],
                                 rank_of=len(labels.countries)),
                figdir / "rank_intervals.png")
    if labels.pairs():  # change and convergence need two rounds
        tests = t["paired_tests"]
        dim_change = tests[tests["level"] == "dimension"].copy()
        dim_change["label"] = dim_change["dimension"].map(labels.dimensions)
        dim_change["pair"] = dim_change["from_round"] + " to " + dim_change["to_round"]
        fg.save_png(fg.interval_plot(dim_change, "label", "mean_change", "ci_low", "ci_high", "pair",
                                     [f"{a} to {b}" for a, b in labels.pairs()],
                                     "Average change per dimension across countries (points, 95% interval)",
                                     "Mean change (points)", SOURCE_NOTE.format("paired_tests"),
                                     labels=list(labels.dimensions.values())),
                    figdir / "dimension_change.png")
        sigma = t["convergence"][t["convergence"]["kind"] == "sigma"].copy()
        sigma["label"] = sigma["dimension"].map(labels.dimensions).fillna("Overall")
        sigma["pair"] = sigma["from_round"] + " to " + sigma["to_round"]
        fg.save_png(fg.interval_plot(sigma, "label", "estimate", "ci_low", "ci_high", "pair",
                                     [f"{a} to {b}" for a, b in labels.pairs()],
                                     "Change of the spread across countries (SD, points; below 0 = convergence)",
                                     "Change of the standard deviation (points)", SOURCE_NOTE.format("convergence"),
                                     labels=["Overall", *labels.dimensions.values()]),
                    figdir / "sigma_convergence.png")
    fg.save_png(fg.heatmap(availability_matrix(t["availability_audit"], labels),
                           "Share of indicators with data, by country, round and kind", "Share with data (%)",
                           SOURCE_NOTE.format("availability_audit"), fmt="{:.0f}"),
                figdir / "availability.png")


def availability_matrix(audit: pd.DataFrame, labels: rc.Labels) -> pd.DataFrame:
    kinds = [k for k in ("scored", "statistical") if k in set(audit["kind"])]
    sums = audit[audit["kind"].isin(kinds)].groupby(["country", "round", "kind"], as_index=False)[
        ["n_indicators", "n_answered", "n_not_applicable"]].sum()
    base = sums["n_indicators"] - sums["n_not_applicable"]
    sums["share"] = 100 * sums["n_answered"] / base.where(base > 0)
    matrix = sums.pivot(index="country", columns=["round", "kind"], values="share")
    columns = [(r, k) for r in labels.rounds for k in kinds]
    matrix = matrix.reindex(index=list(labels.countries), columns=pd.MultiIndex.from_tuples(columns))
    matrix.index = [f"{labels.countries[c]} ({c})" for c in matrix.index]
    matrix.columns = [f"{r} {k}" for r, k in columns]
    return matrix


def comparative_context(t: dict[str, pd.DataFrame], labels: rc.Labels, engine: str) -> dict:
    labels = labels.for_markdown()  # every name below enters markdown
    latest = labels.rounds[-1]
    overall = t["overall_scores"]
    now = overall[(overall["round"] == latest) & overall["score"].notna()].sort_values(["score", "country"])
    check = t["published_figures_check"]
    first, last = labels.rounds[0], labels.rounds[-1]
    return {
        "title": f"Integration of beneficiaries of international protection in {len(labels.countries)} countries",
        "subtitle": f"Comparative report, rounds {first}-{last}",
        "n_countries": len(labels.countries), "n_rounds": len(labels.rounds), "has_change": bool(labels.pairs()),
        "rounds_text": ", ".join(f"{r} {labels.round_labels[r].lower()}" for r in labels.rounds),
        "latest_round": latest,
        "top_name": labels.countries[now.iloc[-1]["country"]] if len(now) else "n/a",
        "top_score": rc.fmt_score(now.iloc[-1]["score"]) if len(now) else "n/a",
        "bottom_name": labels.countries[now.iloc[0]["country"]] if len(now) else "n/a",
        "bottom_score": rc.fmt_score(now.iloc[0]["score"]) if len(now) else "n/a",
        "overall_table": rc.country_overall_table(overall, t["robustness_scores"], labels),
        "heatmaps": [(r, labels.round_labels[r]) for r in labels.rounds],
        "spread_table": rc.spread_table(t["dimension_scores"], labels),
        "mean_change_table": rc.mean_change_table(t["change_models"], labels),
        "convergence_table": rc.convergence_table(t["convergence"], labels),
        "bip_availability_table": rc.bip_availability_table(t["bip_statistics_availability"], labels),
        "register": register.annex_context(check, labels),
        "engine_label": ENGINE_LABELS[engine],
    }


def country_sections_context(t: dict[str, pd.DataFrame], labels: rc.Labels, codebook: dict, country: str,
                             stable_threshold: float) -> dict:
    """Context of the country sections in workflow/report/sections/ (narrative.country_sections)."""
    return nv.country_sections(t, labels, codebook, country, stable_threshold)


def comparative_sections_context(t: dict[str, pd.DataFrame], labels: rc.Labels, codebook: dict) -> dict:
    """Context of the comparative sections in workflow/report/sections/ (comparisons.comparative_sections)."""
    return cmp.comparative_sections(t, labels, nv.niem_names(codebook))


def read_tables(paths: dict[str, str]) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(path) for name, path in paths.items()}


def write_render_info(path: str | Path, engine: str, versions: dict[str, str]) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps({"engine": engine, "versions": versions}, indent=2, sort_keys=True) + "\n",
                             encoding="utf-8")
