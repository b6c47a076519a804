"""Assemble the country and comparative reports: figures, template context, .qmd, render.

The rule scripts read the tables and call these functions; the templates are in
workflow/report/*.qmd.j2, the stylesheet is workflow/report/report.css.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from ..analysis.audit import availability_audit
from ..core.io import write_text
from ..core.safety import yaml_string
from ..inputs.codebook import build_codebook
from ..quality.clarification import RESOLVED, resolve_from_registers
from . import content as rc
from . import comparisons as cmp
from . import figures as fg
from . import register
from . import narrative as nv
from .render import PRINT_FILES, raw_block, render, render_fragments

TEMPLATES = Path(__file__).resolve().parents[2] / "workflow" / "report"
ENGINE_LABELS = {"quarto": "Quarto (`quarto render`)",
                 "pandoc": "pandoc (HTML) and pandoc + Typst (PDF), the engine used where Quarto is not installed"}
ILLUSTRATIVE = "illustrative indicator answers"
FILTERS = ["rowheaders.lua", "callout.lua"]
_TYPST_SPECIAL = re.compile(r"([\\#\[\]*_$@<>`~=/\"'])")


def typst_text(text: str) -> str:
    """``text`` as Typst markup that shows it literally (every markup character escaped)."""
    return _TYPST_SPECIAL.sub(r"\\\1", str(text))


def typst_string(text: str) -> str:
    """``text`` as a Typst string literal (for document metadata such as the PDF's Title)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


def attr_str(text: str) -> str:
    """A double-quoted pandoc attribute value."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def running_head(subject: str, labels: rc.Labels) -> str:
    """The running header of every PDF page: subject, round span and the illustrative label.
    Plain text (print.typ.j2 escapes it for Typst), not markdown: give the unescaped name."""
    return f"{subject} · rounds {labels.rounds[0]}-{labels.rounds[-1]} · {ILLUSTRATIVE}"


def bullet_list(items: list[str]) -> str:
    """Escaped markdown ``items`` as one bullet list, an item a line (each ending in a newline)."""
    return "".join(f"- {item}\n" for item in items)


def fill_template(name: str, context: dict, template_dir: Path = TEMPLATES) -> str:
    """A .qmd from a Jinja2 template. Jinja comments use {## ##} because {# ... } is pandoc's
    attribute syntax; undefined variables are errors, not silently empty text."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_dir)), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             comment_start_string="{##", comment_end_string="##}", trim_blocks=True)
    env.filters["yaml_str"] = yaml_string  # markdown (escaped already) as a quoted YAML string
    env.filters["typst_text"] = typst_text
    env.filters["typst_str"] = typst_string
    env.filters["attr_str"] = attr_str
    env.filters["bullet_list"] = bullet_list
    return env.get_template(name).render(**context)


def prepare_workdir(work: Path) -> Path:
    """A clean work folder for one report (never shared between reports) with the stylesheet."""
    if work.exists():
        shutil.rmtree(work)
    (work / "figures").mkdir(parents=True)
    for name in ("report.css", *FILTERS):
        shutil.copyfile(TEMPLATES / name, work / name)
    return work


def write_report(template: str, context: dict, qmd: Path, html: str, pdf: str | None, engine: str) -> None:
    """Fill ``template`` into ``qmd`` and render it (``pdf`` None: HTML only). With a PDF, the Typst
    print settings go beside it (``PRINT_FILES``, each from its template ``<name>.j2``), which both
    engines include in the PDF (pandoc by command-line options, Quarto by
    workflow/report/quarto-options.yml). Under Quarto the country annex's indicator lists come
    rendered already (``prerendered_lists``)."""
    if engine == "quarto" and "evidence_tables" in context:
        context = {**context, "evidence_blocks": prerendered_lists(
            [items for _, items in context["evidence_tables"]], Path(qmd).parent, pdf is not None)}
    write_text(qmd, fill_template(template, context))
    if pdf is not None:
        for name in PRINT_FILES:
            write_text(Path(qmd).parent / name, fill_template(f"{name}.j2", context))
    render(qmd, html, pdf, engine, css="report.css", lua_filter=FILTERS, print_settings=pdf is not None)


# The country annex of indicators (sections/country_annex_indicators.qmd.j2: ~170 long items, ~10,000
# words) took ~3 s of a ~8 s Quarto render, its ~70 Lua filter passes walking every word of lists
# that need none of them (no cross-reference, shortcode, callout or table). Under Quarto pandoc
# renders them, one call per format, and the .qmd carries the HTML and Typst as raw blocks; the
# dimension headings stay markdown, so Quarto numbers them and lists them in the contents.
def prerendered_lists(lists: list[list[str]], work: Path, pdf: bool = True) -> list[str]:
    """One markdown body per list of escaped items: its HTML (and with ``pdf`` its Typst) as raw
    blocks, rendered by pandoc in ``work``."""
    formats = ["html", "typst"] if pdf else ["html"]
    rendered = {fmt: render_fragments([bullet_list(items) for items in lists], fmt, work) for fmt in formats}
    return ["\n\n".join(raw_block(rendered[fmt][i], fmt) for fmt in formats) + "\n" for i in range(len(lists))]


# The quality-assurance annexes are HTML working lists for the national researchers, not readers'
# reports: pandoc (always installed, from the pypandoc-binary wheel) renders them under either
# engine. Under Quarto each would cost a Quarto start-up and its filter chain, ~6 s, for the same
# page (docs/performance.md); the readers' reports follow report_engine.
QA_ENGINE = "pandoc"


def write_qa_annex(context: dict, qmd: str | Path, html: str) -> None:
    """The quality-assurance annex (HTML only) from qa.qmd.j2, in its own work folder."""
    prepare_workdir(Path(qmd).parent)
    write_report("qa.qmd.j2", context, Path(qmd), html, None, QA_ENGINE)


def _rank_frame(position: pd.DataFrame, labels: rc.Labels) -> pd.DataFrame:
    frame = position[position["level"] == "dimension"].copy()
    frame["label"] = frame["dimension"].map(labels.dimensions)
    return frame


# ---------------------------------------------------------------- country

# What each table and figure of a country report is read from (the appendix "How this report was made").
COUNTRY_SOURCES = [
    ("Overall score, step scores, coverage and rank", "results/countries/{code}/overall_scores.parquet, "
     "overall_step_scores.parquet; results/report_extracts/{code}/report_position.parquet (robustness_scores)"),
    ("Area scores", "results/countries/{code}/area_scores.parquet"),
    ("Dimension scores (table and dot plot)", "results/countries/{code}/dimension_scores.parquet, step_scores.parquet"),
    ("Change between rounds (tables and figure)", "results/report_extracts/{code}/report_change.parquet "
     "(country_change_intervals)"),
    ("Position among the countries (table and figure)", "results/report_extracts/{code}/report_position.parquet "
     "(robustness_scores)"),
    ("Data availability", "results/countries/{code}/indicator_scores.parquet"),
    ("BIP statistics", "raw/bip_statistics/{code}.csv (results/countries/{code}/bip_statistics.parquet)"),
    ("Conclusions and recommendations", "raw/findings/{code}.csv (results/countries/{code}/findings.parquet)"),
]

def country_figures(t: dict[str, pd.DataFrame], labels: rc.Labels, country: str, figdir: Path) -> dict[str, str]:
    """Draw the country report's figures into ``figdir``; returns their alt texts (from the data)."""
    name = labels.countries[country]
    latest = labels.rounds[-1]
    dims = t["dimension_scores"]
    fg.save_png(fg.dimension_profile(dims, labels.dimensions, labels.rounds, f"{name}: dimension scores by round"),
                figdir / "dimension_profile.png")
    now = dims[dims["round"] == latest]
    alt = {"dimensions": rc.alt_extremes(dict(zip(now["dimension"].map(labels.dimensions), now["score"])),
                                         f"Dot plot of {name}'s illustrative dimension scores; in {latest}")}
    if labels.pairs():  # with a single round there is no change to show
        change = t["report_change"][t["report_change"]["level"] == "dimension"].copy()
        change["label"] = change["dimension"].map(labels.dimensions)
        change["pair"] = change["from_round"] + " to " + change["to_round"]
        pairs = [f"{a} to {b}" for a, b in labels.pairs()]
        fg.save_png(fg.interval_plot(change, "label", "paired_change", "ci_low", "ci_high", "pair", pairs,
                                     f"{name}: change per dimension (points, 95% interval)", "Mean paired change (points)",
                                     labels=list(labels.dimensions.values())),
                    figdir / "change_intervals.png")
        last = change[change["pair"] == pairs[0 if len(pairs) == 1 else -2]]
        alt["change"] = rc.alt_extremes(dict(zip(last["label"], last["paired_change"])),
                                        f"Interval plot of the mean paired change per dimension; {last['pair'].iloc[0] if len(last) else ''}",
                                        " points")
    ranks = _rank_frame(t["report_position"], labels)
    fg.save_png(fg.interval_plot(ranks, "label", "rank_baseline", "rank_p05", "rank_p95", "round", labels.rounds,
                                 f"{name}: rank per dimension (1 = highest, 90% interval)", "Rank",
                                 zero_line=False, labels=list(labels.dimensions.values()), rank_of=len(labels.countries)),
                figdir / "rank_intervals.png")
    rnow = ranks[ranks["round"] == latest]
    best = rnow.dropna(subset=["rank_baseline"]).sort_values(["rank_baseline", "label"])
    alt["ranks"] = (f"Interval plot of {name}'s rank per dimension among {len(labels.countries)} countries by round; in "
                    f"{latest} its best rank is {rc.fmt_rank(best.iloc[0]['rank_baseline'])} ({best.iloc[0]['label']}), its "
                    f"lowest {rc.fmt_rank(best.iloc[-1]['rank_baseline'])} ({best.iloc[-1]['label']})."
                    if len(best) else f"Interval plot of {name}'s rank per dimension: no ranks in {latest}.")
    return alt


def country_context(t: dict[str, pd.DataFrame], labels: rc.Labels, country: str, engine: str,
                    stable_threshold: float, alt: dict[str, str], clarification: list[dict], pending: list[dict]) -> dict:
    """``clarification``: the country's items resolved against its register (resolved_clarification);
    ``pending``: the country-rounds whose evidence is not imported yet."""
    pending_text = pending_notice(pending, labels, country)
    plain_name = labels.countries[country]  # for the PDF's print settings (Typst, escaped there)
    labels = labels.for_markdown()  # every name below enters markdown
    name, latest = labels.countries[country], labels.rounds[-1]
    # "At a glance" gives the latest round with evidence (the latest round itself unless pending)
    waiting = {p["round"] for p in pending if p["country"] == country}
    glance = ([r for r in labels.rounds if r not in waiting] or [latest])[-1]
    overall = t["overall_scores"]
    latest_score = overall.loc[overall["round"] == glance, "score"]
    position = t["report_position"]
    pos = position[(position["level"] == "overall") & (position["round"] == glance)]
    latest_rank = None if pos.empty or rc.is_missing(pos.iloc[0]["rank_baseline"]) else rc.fmt_rank(pos.iloc[0]["rank_baseline"])
    findings = rc.findings_sections(t["findings"], labels)
    bip_table, bip_notes, bip_sources = rc.bip_statistics_table(t["bip_statistics"])
    first, last = labels.rounds[0], labels.rounds[-1]
    rank_low = None if pos.empty else pos.iloc[0]
    return {
        "title": name, "pending_text": pending_text,
        "pagetitle": f"{name}: integration policy scores {first}-{last} ({ILLUSTRATIVE})",
        "pdf_title": f"{plain_name}: integration policy scores {first}-{last} ({ILLUSTRATIVE})",
        "running": running_head(plain_name, labels),
        "alt": alt,
        "latest_rank_text": "" if not latest_rank else (
            f"rank {latest_rank} in every method variant"
            if rc.fmt_rank_range(rank_low["rank_p05"], rank_low["rank_p95"]) == f"rank {latest_rank} in every variant"
            else f"rank {latest_rank}"),
        "subtitle": f"Integration of beneficiaries of international protection: policy scores {first}-{last}",
        "name": name, "code": country, "has_change": bool(labels.pairs()), "latest_round": latest, "latest_label": labels.round_labels[latest],
        "latest_headline": rc.headline(rc.fmt_score(latest_score.iloc[0]) if len(latest_score) else rc.NO_SCORE,
                                       "headline-overall", table="overall_scores", country=country, round=glance),
        "latest_pending": latest in waiting, "glance_round": glance, "glance_label": labels.round_labels[glance],
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
        "bip_table": bip_table, "bip_notes": bip_notes, "bip_sources": bip_sources,
        "conclusions": findings["conclusion"],
        "recommendations": rc.recommendations_by_dimension(t["findings"], labels),
        "data_recommendations": findings["data_recommendation"],
        "n_clarification": sum(it["status"] != RESOLVED for it in clarification),
        "engine_label": ENGINE_LABELS[engine],
        "sources_table": rc.sources_table([(what, files.format(code=country)) for what, files in COUNTRY_SOURCES
                                           if bip_table or "bip" not in files]),
    }


# ---------------------------------------------------------------- comparative

def _country_order(overall: pd.DataFrame, labels: rc.Labels, round_: str) -> list[str]:
    """Country codes by overall score in ``round_``, highest first; countries without a score last."""
    part = overall[(overall["round"] == round_) & overall["score"].notna()].sort_values(["score", "country"],
                                                                                      ascending=[False, True])
    order = [c for c in part["country"] if c in labels.countries]
    return order + [c for c in labels.countries if c not in order]


def heatmap_alt(matrix: pd.DataFrame, what: str) -> str:
    """Alt text of a heatmap from its values: size, highest and lowest cell, cells without a value."""
    cells = matrix.stack().dropna()
    if cells.empty:
        return f"Heatmap of {what}: no values."
    (hr, hc), (lr, lc) = cells.idxmax(), cells.idxmin()
    missing = int(matrix.isna().sum().sum())
    return (f"Heatmap of {what}, {matrix.shape[0]} rows by {matrix.shape[1]} columns: highest {cells.max():.0f} "
            f"({hr}, {hc}), lowest {cells.min():.0f} ({lr}, {lc}); {missing} cells without a value.")


def comparative_figures(t: dict[str, pd.DataFrame], labels: rc.Labels, figdir: Path) -> dict:
    """Draw the comparative report's figures into ``figdir``; returns their alt texts (from the data)."""
    dims = t["dimension_scores"]
    alt: dict = {"heatmaps": {}}
    for r in labels.rounds:
        part = dims[dims["round"] == r]
        # countries as rows (names, ordered by this round's overall score), dimensions as columns
        order = _country_order(t["overall_scores"], labels, r)
        matrix = (part.pivot(index="country", columns="dimension", values="score")
                  .reindex(index=order, columns=list(labels.dimensions)))
        matrix.index = [labels.countries[c] for c in matrix.index]
        matrix.columns = [labels.dimensions[d] for d in matrix.columns]
        fg.save_png(fg.heatmap(matrix, f"Dimension scores by country, {r} ({labels.round_labels[r]})", "Score (0-100)"),
                    figdir / f"heatmap_{r}.png")
        alt["heatmaps"][r] = heatmap_alt(matrix, f"illustrative dimension scores by country in {r} (countries ordered "
                                                 "by overall score)")
    latest = labels.rounds[-1]
    now = dims[dims["round"] == latest]
    fg.save_png(fg.range_plot(now, labels.dimensions, f"Spread between the highest and lowest country, {latest}"),
                figdir / "spread.png")
    spread = {labels.dimensions[d]: g["score"].max() - g["score"].min()
              for d, g in now.dropna(subset=["score"]).groupby("dimension") if d in labels.dimensions}
    alt["spread"] = rc.alt_extremes(spread, f"Range plot of the spread of illustrative dimension scores across "
                                            f"countries in {latest}; spread", " points")
    rob = t["robustness_scores"]
    overall = rob[rob["level"] == "overall"].copy()
    order = overall[overall["round"] == latest].sort_values(["rank_baseline", "country"])["country"].tolist()
    order += [c for c in labels.countries if c not in order]
    overall["label"] = overall["country"].map(lambda c: labels.countries.get(c, c))
    fg.save_png(fg.interval_plot(overall, "label", "rank_baseline", "rank_p05", "rank_p95", "round", labels.rounds,
                                 "Overall rank by round (1 = highest, 90% interval)", "Rank", zero_line=False,
                                 labels=[labels.countries[c] for c in order if c in labels.countries],
                                 rank_of=len(labels.countries)),
                figdir / "rank_intervals.png")
    ranked = [labels.countries[c] for c in order if c in labels.countries]
    alt["ranks"] = (f"Interval plot of the overall rank of {len(ranked)} countries by round; in {latest} rank 1 is "
                    f"{ranked[0]} and rank {len(ranked)} is {ranked[-1]}." if ranked else "Interval plot: no ranks.")
    if labels.pairs():  # change and convergence need two rounds
        pairs = [f"{a} to {b}" for a, b in labels.pairs()]
        tests = t["paired_tests"]
        dim_change = tests[tests["level"] == "dimension"].copy()
        dim_change["label"] = dim_change["dimension"].map(labels.dimensions)
        dim_change["pair"] = dim_change["from_round"] + " to " + dim_change["to_round"]
        fg.save_png(fg.interval_plot(dim_change, "label", "mean_change", "ci_low", "ci_high", "pair", pairs,
                                     "Average change per dimension across countries (points, 95% interval)",
                                     "Mean change (points)", labels=list(labels.dimensions.values())),
                    figdir / "dimension_change.png")
        first = dim_change[dim_change["pair"] == pairs[0]]
        alt["dimension_change"] = rc.alt_extremes(dict(zip(first["label"], first["mean_change"])),
                                                  f"Interval plot of the average change per dimension; {pairs[0]}", " points")
        sigma = t["convergence"][t["convergence"]["kind"] == "sigma"].copy()
        sigma["label"] = sigma["dimension"].map(labels.dimensions).fillna("Overall")
        sigma["pair"] = sigma["from_round"] + " to " + sigma["to_round"]
        fg.save_png(fg.interval_plot(sigma, "label", "estimate", "ci_low", "ci_high", "pair", pairs,
                                     "Change of the spread across countries (SD, points; below 0 = convergence)",
                                     "Change of the standard deviation (points)",
                                     labels=["Overall", *labels.dimensions.values()]),
                    figdir / "sigma_convergence.png")
        first = sigma[sigma["pair"] == pairs[0]]
        alt["sigma"] = rc.alt_extremes(dict(zip(first["label"], first["estimate"])),
                                       f"Interval plot of the change of the spread across countries; {pairs[0]}", " points")
    availability = availability_matrix(t["availability_audit"], labels)
    fg.save_png(fg.heatmap(availability, "Share of indicators with data, by country, round and kind",
                           "Share with data (%)", fmt="{:.0f}"),
                figdir / "availability.png")
    alt["availability"] = heatmap_alt(availability, "the share of indicators with data (%) by country, round and kind")
    return alt


def availability_matrix(audit: pd.DataFrame, labels: rc.Labels) -> pd.DataFrame:
    kinds = [k for k in ("scored", "statistical") if k in set(audit["kind"])]
    sums = audit[audit["kind"].isin(kinds)].groupby(["country", "round", "kind"], as_index=False)[
        ["n_indicators", "n_answered", "n_not_applicable"]].sum()
    base = sums["n_indicators"] - sums["n_not_applicable"]
    sums["share"] = 100 * sums["n_answered"] / base.where(base > 0)
    matrix = sums.pivot(index="country", columns=["round", "kind"], values="share")
    columns = [(r, k) for r in labels.rounds for k in kinds]
    matrix = matrix.reindex(index=list(labels.countries), columns=pd.MultiIndex.from_tuples(columns))
    matrix.index = [labels.countries[c] for c in matrix.index]
    matrix.columns = [f"{r} {k}" for r, k in columns]
    return matrix


COMPARATIVE_SOURCES = [
    ("Overall scores and ranks (table and figure)", "results/overall_scores.parquet, results/robustness_scores.parquet"),
    ("Heatmaps, spread (figure and table)", "results/dimension_scores.parquet"),
    ("Average change", "results/change_models.parquet (model cells_cluster_country)"),
    ("Average change per dimension (figure)", "results/paired_tests.parquet"),
    ("Convergence (figure and table)", "results/convergence.parquet"),
    ("Share of indicators with data (figure)", "results/availability_audit.parquet"),
    ("Availability of BIP numbers", "results/bip_statistics_availability.parquet"),
    ("Published figures", "results/published_figures_check.parquet, config/published_figures.yaml"),
]


def comparative_context(t: dict[str, pd.DataFrame], labels: rc.Labels, engine: str, alt: dict,
                        pending: list[dict]) -> dict:
    """``pending``: the country-rounds whose evidence is not imported yet (named in a box at the top)."""
    pending_text = pending_notice(pending, labels)
    labels = labels.for_markdown()  # every name below enters markdown
    latest = labels.rounds[-1]
    overall = t["overall_scores"]
    now = overall[(overall["round"] == latest) & overall["score"].notna()].sort_values(["score", "country"])
    check = t["published_figures_check"]
    first, last = labels.rounds[0], labels.rounds[-1]
    page_title = f"Comparative report, {len(labels.countries)} countries, rounds {first}-{last} ({ILLUSTRATIVE})"
    return {
        "title": f"Integration of beneficiaries of international protection in {len(labels.countries)} countries",
        "pending_text": pending_text,
        "pagetitle": page_title,
        "pdf_title": page_title,  # no name in it: the same text serves as markdown and as plain text
        "running": running_head(f"Comparative report, {len(labels.countries)} countries", labels),
        "alt": alt,
        "sigma_tests": rc.sigma_tests_text(t["convergence"]),
        "sources_table": rc.sources_table(COMPARATIVE_SOURCES),
        "subtitle": f"Comparative report, rounds {first}-{last}",
        "n_countries": len(labels.countries), "n_rounds": len(labels.rounds), "has_change": bool(labels.pairs()),
        "rounds_text": ", ".join(f"{r} {labels.round_labels[r].lower()}" for r in labels.rounds),
        "latest_round": latest,
        "top_name": labels.countries[now.iloc[-1]["country"]] if len(now) else "n/a",
        "top_score": rc.fmt_score(now.iloc[-1]["score"]) if len(now) else "n/a",
        "bottom_name": labels.countries[now.iloc[0]["country"]] if len(now) else "n/a",
        "bottom_score": rc.fmt_score(now.iloc[0]["score"]) if len(now) else "n/a",
        "overall_table": rc.country_overall_table(overall, t["robustness_scores"], labels),
        "heatmaps": [(r, labels.round_labels[r], alt["heatmaps"][r]) for r in labels.rounds],
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
# ---------------------------------------------------------------- pending evidence

def pending_notice(pending: list[dict], labels: rc.Labels, country: str | None = None, qa: bool = False) -> str:
    """Plain words, for the box near the top of a report, on the configured rounds whose evidence
    is not imported yet (results/pending_evidence.parquet; allow_pending_rounds): which country
    and round, and that the country has no score for that round. ``country``: that country's
    rounds only (its own report); ``qa``: the wording of the QA annexes. Empty when none."""
    labels = labels.for_markdown()
    pending = [p for p in pending if country is None or p["country"] == country]
    if not pending:
        return ""
    by_round: dict[str, list[str]] = {}
    for p in pending:
        by_round.setdefault(p["round"], []).append(p["country"])
    parts = []
    for r in [r for r in labels.rounds if r in by_round]:
        codes = by_round[r]
        when = f"round {r} ({labels.round_labels[r]})"
        if country is not None:
            who, it = labels.countries[country], "it"
            parts.append(f"The answers of {who} for {when} are not imported yet, so {who} has **no score for {r}**: "
                         + ("there are no clarification items for that round yet." if qa else
                            f"the tables show 'no score' for {r}, the figures have no {r} value for {it}, "
                            f"and {it} is not ranked in {r}."))
            continue
        one, others = len(codes) == 1, len(labels.countries) - len(codes)
        it = "it" if one else "them"
        names = ", ".join(f"{labels.countries[c]} ({c})" for c in codes)
        parts.append(f"The answers of {names} for {when} are not imported yet, so "
                     f"{'this country has' if one else 'these countries have'} **no score for {r}**: "
                     + (f"there are no clarification items for {it} in that round yet." if qa else
                        f"the tables show 'no score' for {it} in {r}, the figures have no {r} value for {it}, and the "
                        f"{r} ranks, spreads and averages are over the other {others} {'country' if others == 1 else 'countries'}."))
    return "\n\n".join(parts)


# ---------------------------------------------------------------- quality-assurance annexes

def resolved_clarification(items: pd.DataFrame, registers: list[str], codebook: dict) -> list[dict]:
    """Clarification items (one country's table, or several) resolved against the given
    resolution registers, with the confirming register row (niem.quality.clarification)."""
    return resolve_from_registers(items.to_dict("records"), registers, build_codebook(codebook))


def qa_context(items: list[dict], labels: rc.Labels, country: str, pending: list[dict]) -> dict:
    """The QA annex of one country: its open and re-opened clarification items, and apart from
    them the resolved ones with their confirmation (taken out of the readers' report)."""
    md = labels.for_markdown()  # every name enters markdown escaped (raw HTML is live under Quarto)
    name = md.countries[country]
    counts, listing, resolved = rc.clarification_tables(items, md)
    return {"title": f"{name}: clarification items", "scope": name, "many": False,
            "subtitle": f"Quality-assurance annex to the country report, rounds {labels.rounds[0]}-{labels.rounds[-1]}",
            "pagetitle": f"{name}: clarification items (QA annex; {ILLUSTRATIVE})",
            "pending_text": pending_notice(pending, labels, country, qa=True),
            "counts_table": counts, "counts_by": "round and issue", "items_table": listing, "resolved_table": resolved,
            "counts_source": f"results/countries/{country}/clarification_items.parquet, "
                             f"raw/clarifications/{{round}}/{country}.csv",
            "items_source": f"results/countries/{country}/clarification_items.parquet",
            "resolved_source": f"raw/clarifications/{{round}}/{country}.csv"}


def qa_summary_context(summary: pd.DataFrame, labels: rc.Labels, pending: list[dict]) -> dict:
    """The comparative QA summary: open and resolved clarification items per country."""
    md = labels.for_markdown()  # every name enters markdown escaped (raw HTML is live under Quarto)
    return {"title": "Clarification items of every country", "scope": f"the {len(labels.countries)} countries",
            "many": True,
            "subtitle": f"Quality-assurance summary, rounds {labels.rounds[0]}-{labels.rounds[-1]}",
            "pagetitle": f"Clarification items, {len(labels.countries)} countries (QA summary; {ILLUSTRATIVE})",
            "pending_text": pending_notice(pending, labels, qa=True),
            "counts_table": rc.clarification_summary_table(summary, md), "counts_by": "country and issue",
            "items_table": "", "resolved_table": "", "counts_source": "results/clarification_summary.parquet",
            "items_source": "", "resolved_source": ""}


def read_tables(paths: dict[str, str]) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(path) for name, path in paths.items()}
