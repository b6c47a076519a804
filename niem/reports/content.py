"""What the reports say: pure functions from the pipeline's tables to markdown tables, headline
numbers and template context. The Jinja2 templates in workflow/report/ hold the prose and layout;
nothing here computes a statistic (that is the pipeline's job), it only selects and formats.

Every free text from raw files (sources, notes, findings, answers) goes through
``niem.safety.markdown_text``, so it shows as the text it is in HTML and PDF.
"""

from __future__ import annotations

import copy
import math
import re

import pandas as pd
from tabulate import tabulate

from ..core.safety import markdown_text

NO_SCORE = "no score"
_SPAN = re.compile(r"\[([^\]]*)\]\{[^}]*\}")  # [text]{#id .class key="value"}
MEASURE_LABELS = {
    "number_of_bips": "Number of BIPs",
    "share_among_non_citizens": "BIPs among non-citizens",
    "share_of_population": "BIPs in the population",
    "number_of_refugees": "Refugees (component)",
    "number_of_bsps": "Beneficiaries of subsidiary protection (component)",
    "total_non_citizens": "All non-citizens (component)",
    "total_population": "Total population (component)",
    "bips_without_citizenship": "BIPs without citizenship (component)",
    "humanitarian_permits": "Humanitarian permits (component)",
}
FINDING_SECTIONS = {
    "conclusion": "Conclusions",
    "recommendation": "Recommendations",
    "data_availability": "Data availability",
    "data_recommendation": "Recommendations on data",
}


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def fmt_score(value, digits: int = 1) -> str:
    return NO_SCORE if is_missing(value) else f"{value:.{digits}f}"


def fmt_change(value, digits: int = 1) -> str:
    if is_missing(value):
        return "n/a"
    text = f"{value:+.{digits}f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def fmt_rank(value) -> str:
    if is_missing(value):
        return "n/a"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def fmt_share(value) -> str:
    return "n/a" if is_missing(value) else f"{100 * value:.0f}%"


def fmt_p(value) -> str:
    """A p-value to three decimals; below 0.001 as "< 0.001" (never "0.000")."""
    if is_missing(value):
        return "n/a"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def fmt_rank_range(low, high) -> str:
    """The ranks a country takes over the method variants: "rank 1 in every variant" when they agree."""
    if is_missing(low) or is_missing(high):
        return "n/a"
    if fmt_rank(low) == fmt_rank(high):
        return f"rank {fmt_rank(low)} in every variant"
    return f"{fmt_rank(low)} to {fmt_rank(high)}"


def range_position(value, low, high) -> str:
    """Where the configured score sits in its range over the method variants, in words."""
    if is_missing(value) or is_missing(low) or is_missing(high):
        return "n/a"
    if high - low < 0.05:
        return "no spread"
    share = (value - low) / (high - low)
    if share >= 2 / 3:
        return "top third"
    return "middle third" if share >= 1 / 3 else "bottom third"


def fmt_interval(low, high, fmt=fmt_change) -> str:
    if is_missing(low) or is_missing(high):
        return "n/a"
    return f"{fmt(low)} to {fmt(high)}"


def headline(value_text: str, ident: str, **attrs: str) -> str:
    """A number the tests read back: a pandoc span with an id, class ``headline`` and data attributes."""
    extra = "".join(f' {k}="{v}"' for k, v in sorted(attrs.items()))
    return f"[{value_text}]{{#{ident} .headline{extra}}}"


def visible_text(cell: str) -> str:
    """What a table cell shows: span attributes and escaping backslashes removed."""
    return _SPAN.sub(r"\1", str(cell)).replace("\\", "")


def md_table(rows: list[list[str]], headers: list[str], align: list[str] | None = None) -> str:
    """A pipe table (Quarto and pandoc markdown); cells are used as given (escape free text first).

    Pandoc sizes the columns of a wide pipe table by the dashes of its separator line; they are set
    here from the content (longest header word, cells capped at 40 characters, at least 6), so
    short numeric columns never get squeezed below their numbers in the PDF."""
    colalign = align or ["left"] + ["right"] * (len(headers) - 1)
    lines = tabulate(rows, headers=headers, tablefmt="pipe", colalign=colalign, disable_numparse=True).split("\n")
    widths = []
    for i, header in enumerate(headers):
        longest_word = max((len(w) for w in header.split()), default=0)
        longest_cell = max((len(visible_text(r[i])) for r in rows), default=0)
        widths.append(max(6, longest_word, min(longest_cell, 40)))
    marks = {"left": (":", "-"), "right": ("-", ":"), "center": (":", ":")}
    lines[1] = "|" + "|".join(marks[a][0] + "-" * w + marks[a][1] for a, w in zip(colalign, widths)) + "|"
    return "\n".join(lines)


class Labels:
    """Names of areas, dimensions, steps and rounds from the compiled codebook and the config."""

    def __init__(self, codebook: dict, rounds: list[dict], country_names: dict[str, str]):
        self.areas = {a["id"]: a["name"] for a in codebook["areas"]}
        self.dimensions = {d["id"]: d["name"] for d in codebook["dimensions"] if d["scored"]}
        self.all_dimensions = {d["id"]: d["name"] for d in codebook["dimensions"]}
        self.dimension_area = {d["id"]: d["area"] for d in codebook["dimensions"]}
        self.steps = {s["id"]: s["name"] for s in codebook["steps"]}
        self.step_short = {s["id"]: s["id"].replace("_", " ").capitalize() for s in codebook["steps"]}
        self.rounds = [r["id"] for r in rounds]
        self.round_labels = {r["id"]: r["label"] for r in rounds}
        self.countries = dict(country_names)

    def for_markdown(self) -> "Labels":
        """A copy whose names (countries, rounds' labels, areas, dimensions, steps) are escaped with
        ``markdown_text``: config and codebook text shows as the text it is, like raw-file text."""
        out = copy.copy(self)
        for attr in ("areas", "dimensions", "all_dimensions", "steps", "round_labels", "countries"):
            setattr(out, attr, {k: markdown_text(v) for k, v in getattr(self, attr).items()})
        return out

    def pairs(self) -> list[tuple[str, str]]:
        """Consecutive round pairs, then first to last when there are more than two rounds."""
        out = list(zip(self.rounds, self.rounds[1:]))
        if len(self.rounds) > 2:
            out.append((self.rounds[0], self.rounds[-1]))
        return out


def _lookup(frame: pd.DataFrame, keys: list[str], value: str) -> dict:
    return {tuple(row[k] for k in keys): row[value] for row in frame.to_dict("records")}


# ---------------------------------------------------------------- country report

def overall_table(overall: pd.DataFrame, steps: pd.DataFrame, position: pd.DataFrame, labels: Labels,
                  country: str) -> str:
    score = _lookup(overall, ["round"], "score")
    coverage = _lookup(overall, ["round"], "coverage")
    step = _lookup(steps, ["round", "step"], "score")
    pos = position[(position["level"] == "overall")].set_index("round")
    rows = []
    for r in labels.rounds:
        rank = "n/a"
        if r in pos.index and not is_missing(pos.at[r, "rank_baseline"]):
            p = pos.loc[r]
            rank = (f"{headline(fmt_rank(p['rank_baseline']), f'rank-{r}', table='report_position', round=r)}"
                    f" of {p['n_ranked']} ({fmt_rank_range(p['rank_p05'], p['rank_p95'])})")
        value = score.get((r,))
        rows.append([f"{r} ({labels.round_labels[r]})",
                     headline(fmt_score(value), f"overall-{r}", table="overall_scores", country=country, round=r)
                     if not is_missing(value) else NO_SCORE,
                     *[fmt_score(step.get((r, s))) for s in labels.steps],
                     fmt_share(coverage.get((r,))), rank])
    headers = ["Round", "Overall", *labels.step_short.values(), "Data coverage", "Rank (over method variants)"]
    return md_table(rows, headers)


def area_table(areas: pd.DataFrame, labels: Labels) -> str:
    score = _lookup(areas, ["area", "round"], "score")
    rows = [[name, *[fmt_score(score.get((a, r))) for r in labels.rounds]] for a, name in labels.areas.items()]
    return md_table(rows, ["Area", *labels.rounds])


def dimension_table(dimensions: pd.DataFrame, step_scores: pd.DataFrame, labels: Labels) -> str:
    """Dimension scores per round, and the latest round's three step scores."""
    latest = labels.rounds[-1]
    score = _lookup(dimensions, ["dimension", "round"], "score")
    step = _lookup(step_scores[step_scores["round"] == latest], ["dimension", "step"], "score")
    rows = []
    for d, name in labels.dimensions.items():
        rows.append([name, *[fmt_score(score.get((d, r))) for r in labels.rounds],
                     *[fmt_score(step.get((d, s))) for s in labels.steps]])
    headers = ["Dimension", *labels.rounds, *[f"{latest} {n.lower()}" for n in labels.step_short.values()]]
    return md_table(rows, headers)


def change_overall_table(change: pd.DataFrame, labels: Labels) -> str:
    """Overall change per pair of rounds: one number, the mean paired change, with its interval."""
    rows = []
    overall = change[change["level"] == "overall"]
    for a, b in labels.pairs():
        part = overall[(overall["from_round"] == a) & (overall["to_round"] == b)]
        if part.empty:
            continue
        p = part.iloc[0]
        rows.append([f"{a} to {b}", fmt_change(p["paired_change"]), fmt_interval(p["ci_low"], p["ci_high"]),
                     str(p["n_paired"])])
    return md_table(rows, ["Rounds", "Mean paired change", "95% interval", "Indicators answered in both rounds"])


def change_dimension_table(change: pd.DataFrame, labels: Labels) -> str:
    """Per dimension and pair of rounds: the mean paired change and, in its own column, its interval."""
    dims = change[change["level"] == "dimension"]
    paired = {tuple(r[c] for c in ["dimension", "from_round", "to_round"]): r for r in dims.to_dict("records")}
    rows = []
    for d, name in labels.dimensions.items():
        cells = []
        for a, b in labels.pairs():
            row = paired.get((d, a, b), {})
            cells += [fmt_change(row.get("paired_change")), fmt_interval(row.get("ci_low"), row.get("ci_high"))]
        rows.append([name, *cells])
    headers = ["Dimension"] + [h for a, b in labels.pairs() for h in (f"{a} to {b}", "95% interval")]
    return md_table(rows, headers)


def rank_table(position: pd.DataFrame, labels: Labels) -> str:
    """Latest round: score, score range and rank interval per dimension and overall."""
    latest = labels.rounds[-1]
    part = position[position["round"] == latest]
    rows = []
    for key, name in [(None, "Overall"), *labels.dimensions.items()]:
        sel = part[(part["level"] == "overall")] if key is None else part[part["dimension"] == key]
        if sel.empty:
            continue
        p = sel.iloc[0]
        rows.append([name, fmt_score(p["score_baseline"]), fmt_interval(p["score_p05"], p["score_p95"], fmt_score),
                     range_position(p["score_baseline"], p["score_p05"], p["score_p95"]),
                     f"{fmt_rank(p['rank_baseline'])} of {p['n_ranked']}",
                     fmt_rank_range(p["rank_p05"], p["rank_p95"])])
    return md_table(rows, ["Score of", "Score", "Range over method variants", "Score's place in the range", "Rank",
                           "Ranks over method variants"])


def availability_table(audit: pd.DataFrame, labels: Labels) -> str:
    """Per round and indicator kind: asked, with data, 'no data', not applicable, unanswered."""
    sums = audit.groupby(["round", "kind"], as_index=False)[
        ["n_indicators", "n_answered", "n_no_data", "n_not_applicable", "n_unanswered"]].sum()
    rows = []
    for r in labels.rounds:
        for kind in ("scored", "statistical", "descriptive"):
            sel = sums[(sums["round"] == r) & (sums["kind"] == kind)]
            if sel.empty:
                continue
            s = sel.iloc[0]
            base = s["n_indicators"] - s["n_not_applicable"]
            rows.append([r, kind, str(s["n_indicators"]), str(s["n_answered"]), str(s["n_no_data"]),
                         str(s["n_not_applicable"]), str(s["n_unanswered"]),
                         fmt_share(s["n_answered"] / base if base else float("nan"))])
    return md_table(rows, ["Round", "Indicators", "Asked", "With data", "No data", "Not applicable", "Unanswered",
                           "Share with data"], ["left", "left"] + ["right"] * 6)


def bip_statistics_table(bip: pd.DataFrame) -> tuple[str, list[str], list[str]]:
    """The BIP statistics as printed (gaps stay 'no data'), the notes to show under it, and the
    sources (a letter in the table's Source column, the text under the table)."""
    if bip.empty:
        return "", [], []
    slots = list(dict.fromkeys(bip["slot"]))
    headers_by_slot = {s: "/".join(dict.fromkeys(bip.loc[bip["slot"] == s, "reference_as_printed"])) for s in slots}
    rows, notes, sources = [], [], {}
    for measure, part in bip.groupby("measure", sort=False):
        cells = {}
        for row in part.to_dict("records"):
            text = markdown_text(row["value_as_printed"])
            extras = [x for x in (row["qualifier"], "flow" if row["basis"] == "flow" else None) if not is_missing(x)]
            if extras:
                text += " (" + markdown_text("; ".join(extras)) + ")"
            cells[row["slot"]] = text
            for note in (row["note"],):
                if not is_missing(note) and note not in notes:
                    notes.append(note)
        source = "; ".join(dict.fromkeys(part["source"].dropna()))
        key = sources.setdefault(source, chr(ord("a") + len(sources))) if source else ""
        rows.append([MEASURE_LABELS.get(measure, markdown_text(measure)), *[cells.get(s, "") for s in slots],
                     f"({key})" if key else ""])
    table = md_table(rows, ["Measure", *[markdown_text(headers_by_slot[s]) for s in slots], "Source"],
                     ["left"] + ["right"] * len(slots) + ["left"])
    # sources are long and repeat from row to row: a letter in the table, the text under it
    return table, [markdown_text(n) for n in notes], [f"({key}) {markdown_text(text)}" for text, key in sources.items()]


def findings_sections(findings: pd.DataFrame, labels: Labels) -> dict[str, list[str]]:
    """Findings as markdown list items per section; recommendations carry their dimension tags."""
    out: dict[str, list[str]] = {}
    for section in FINDING_SECTIONS:
        part = findings[findings["section"] == section].sort_values("item")
        items = []
        for row in part.to_dict("records"):
            tags = "" if is_missing(row["dimensions"]) else ", ".join(  # labels are escaped already
                labels.all_dimensions.get(d) or markdown_text(d) for d in str(row["dimensions"]).split(";"))
            prefix = f"**{tags}**: " if tags else ""
            items.append(prefix + markdown_text(row["text"]))
        out[section] = items
    return out


def recommendations_by_dimension(findings: pd.DataFrame, labels: Labels) -> list[tuple[str, list[str]]]:
    """Recommendations grouped under each dimension they are tagged with (codebook order; untagged last)."""
    recs = findings[findings["section"] == "recommendation"].sort_values("item")
    groups: dict[str, list[str]] = {}
    for row in recs.to_dict("records"):
        dims = ["untagged"] if is_missing(row["dimensions"]) else str(row["dimensions"]).split(";")
        for d in dims:
            groups.setdefault(d, []).append(markdown_text(row["text"]))
    order = [d for d in labels.all_dimensions if d in groups] + [d for d in groups if d not in labels.all_dimensions]
    return [(labels.all_dimensions.get(d, "Not tagged with a dimension"), groups[d]) for d in order]


# The QA annexes' count tables give the open items per issue code in one text cell, not a column
# per code: with up to 8 codes as long as "changed_without_note" the table was wider than the page
# and its narrow header cells broke words ("Roun" / "d").
COUNT_COLUMNS = ["Open total", "Resolved", "Open items by issue"]
COUNT_ALIGN = ["left", "right", "right", "left"]


def _by_issue(counts: dict[str, int]) -> str:
    return markdown_text("; ".join(f"{code} {k}" for code, k in counts.items() if k)) or "none"


def clarification_tables(items: list[dict], labels: Labels) -> tuple[str, str, str]:
    """One country's clarification items, resolved against its register (niem.quality.clarification):
    counts of unresolved items per round (in all and per issue code) and of resolved ones; the list of open and
    re-opened items; the list of resolved items with the confirmation (response, by, date, note)."""
    if not items:
        return "", "", ""
    unresolved = [it for it in items if it["status"] != "resolved"]
    resolved = [it for it in items if it["status"] == "resolved"]
    codes = sorted({it["issue_code"] for it in unresolved})
    n: dict[tuple, int] = {}
    for it in items:
        key = (it["round"], "resolved" if it["status"] == "resolved" else it["issue_code"])
        n[key] = n.get(key, 0) + 1
    count_rows = [[r, str(sum(n.get((r, c), 0) for c in codes)), str(n.get((r, "resolved"), 0)),
                   _by_issue({c: n.get((r, c), 0) for c in codes})] for r in labels.rounds]
    count_table = md_table(count_rows, ["Round", *COUNT_COLUMNS], COUNT_ALIGN)

    def order(rows):
        return sorted(rows, key=lambda it: (it["round"], it["indicator_id"], it["issue_code"]))

    def status(it):
        c = it.get("confirmation")
        if it["status"] != "reopened" or not c:
            return "open"
        return markdown_text(f"re-opened: confirmed by {c['by']} on {c['date']} for the answer '{c['answer']}', "
                             "which has changed since")

    def where(it):
        return markdown_text(f"{it['file']}:{it['line']}") if not is_missing(it["line"]) else markdown_text(it["file"])

    open_table = md_table([[it["round"], markdown_text(it["indicator_id"]), markdown_text(it["issue_code"]), status(it),
                            markdown_text(it["answer"]), where(it)] for it in order(unresolved)],
                          ["Round", "Indicator", "Issue", "Status", "Answer", "File:line"], ["left"] * 6) if unresolved else ""
    resolved_table = md_table([[it["round"], markdown_text(it["indicator_id"]), markdown_text(it["issue_code"]),
                                markdown_text(it["answer"]), markdown_text(it["confirmation"]["response"]),
                                markdown_text(it["confirmation"]["by"]), markdown_text(it["confirmation"]["date"]),
                                markdown_text(it["confirmation"]["text"])] for it in order(resolved)],
                              ["Round", "Indicator", "Issue", "Answer", "Response", "By", "Date", "Note"],
                              ["left"] * 8) if resolved else ""
    return count_table, open_table, resolved_table


def clarification_summary_table(summary: pd.DataFrame, labels: Labels) -> str:
    """Per country (rows): the unresolved items (re-opened ones included), the resolved items, and
    the unresolved ones per issue code; from the clarification_summary table (zero rows included)."""
    if summary.empty or not (summary["n_items"].sum() + summary["n_resolved"].sum()):
        return ""
    totals = summary.groupby(["country", "issue_code"], as_index=False)[["n_items", "n_resolved"]].sum()
    codes = sorted(totals.loc[totals["n_items"] > 0, "issue_code"].unique())
    n = _lookup(totals, ["country", "issue_code"], "n_items")
    resolved = totals.groupby("country")["n_resolved"].sum().to_dict()
    rows = [[labels.countries[c], str(int(sum(n.get((c, code), 0) for code in codes))), str(int(resolved.get(c, 0))),
             _by_issue({code: int(n.get((c, code), 0)) for code in codes})] for c in labels.countries]
    return md_table(rows, ["Country", *COUNT_COLUMNS], COUNT_ALIGN)


# ---------------------------------------------------------------- comparative report

def country_overall_table(overall: pd.DataFrame, robustness: pd.DataFrame, labels: Labels) -> str:
    latest = labels.rounds[-1]
    score = _lookup(overall, ["country", "round"], "score")
    rob = robustness[(robustness["level"] == "overall") & (robustness["round"] == latest)].set_index("country")
    def by_latest_score(c):  # highest first, countries without a score last
        value = score.get((c, latest))
        return (1, 0.0, c) if is_missing(value) else (0, -value, c)

    ordered = sorted(labels.countries, key=by_latest_score)
    rows = []
    for c in ordered:
        cells = []
        for r in labels.rounds:
            v = score.get((c, r))
            cells.append(NO_SCORE if is_missing(v) else
                         headline(fmt_score(v), f"overall-{c}-{r}", table="overall_scores", country=c, round=r))
        rank = "n/a"
        if c in rob.index:
            p = rob.loc[c]
            rank = f"{fmt_rank(p['rank_baseline'])} ({fmt_rank_range(p['rank_p05'], p['rank_p95'])})"
        rows.append([f"{labels.countries[c]} ({c})", *cells, rank])
    return md_table(rows, ["Country", *labels.rounds, f"Rank {latest} (over method variants)"])


def spread_table(dimensions: pd.DataFrame, labels: Labels) -> str:
    """Per dimension and round: highest and lowest country and the spread between them."""
    rows = []
    for d, name in labels.dimensions.items():
        cells = []
        for r in labels.rounds:
            part = dimensions[(dimensions["dimension"] == d) & (dimensions["round"] == r) & dimensions["score"].notna()]
            if part.empty:
                cells.append("n/a")
                continue
            part = part.sort_values(["score", "country"])
            lo, hi = part.iloc[0], part.iloc[-1]
            cells.append(f"{fmt_score(hi['score'] - lo['score'])} ({hi['country']} {fmt_score(hi['score'])}, "
                         f"{lo['country']} {fmt_score(lo['score'])})")
        rows.append([name, *cells])
    return md_table(rows, ["Dimension", *[f"{r}: spread (highest, lowest)" for r in labels.rounds]])


def mean_change_table(models: pd.DataFrame, labels: Labels) -> str:
    """Average change across countries (cluster-robust model), overall and per step, per round pair."""
    part = models[(models["model"] == "cells_cluster_country") & models["level"].isin(["overall", "overall_step"])]
    rows = []
    for a, b in labels.pairs():
        sel = part[(part["from_round"] == a) & (part["to_round"] == b)]
        for row in sel.to_dict("records"):
            what = "Overall" if row["level"] == "overall" else labels.steps.get(row["step"], row["step"])
            rows.append([f"{a} to {b}", what, fmt_change(row["estimate"]), fmt_interval(row["ci_low"], row["ci_high"]),
                         fmt_p(row["p_value"]), str(row["n_clusters"])])
    return md_table(rows, ["Rounds", "Scores", "Mean change", "95% interval", "p", "Countries"], ["left", "left"] + ["right"] * 4)


def convergence_table(convergence: pd.DataFrame, labels: Labels) -> str:
    part = convergence[(convergence["level"] == "overall")]
    order = {pair: i for i, pair in enumerate(labels.pairs())}
    records = sorted(part.to_dict("records"), key=lambda r: (order.get((r["from_round"], r["to_round"]), 99), r["kind"]))
    rows = []
    for row in records:
        sigma = row["kind"] == "sigma"
        kind = "sigma (change of the SD across countries)" if sigma else "beta (slope of change on earlier score)"
        # the sigma interval is a bootstrap; its p-value is another test's (said under the table)
        rows.append([f"{row['from_round']} to {row['to_round']}", kind, f"{row['estimate']:+.3f}",
                     fmt_interval(row["ci_low"], row["ci_high"], lambda x: f"{x:+.3f}"),
                     "see below" if sigma else fmt_p(row["p_value"])])
    return md_table(rows, ["Rounds", "Measure", "Estimate", "95% interval", "p"], ["left", "left", "right", "right", "right"])


def sigma_tests_text(convergence: pd.DataFrame) -> str:
    """The Pitman-Morgan p-values of the sigma rows of the convergence table, in words."""
    part = convergence[(convergence["level"] == "overall") & (convergence["kind"] == "sigma")]
    return "; ".join(f"p = {fmt_p(r['p_value'])} for {r['from_round']} to {r['to_round']}"
                     for r in part.to_dict("records") if not is_missing(r["p_value"])).replace("p = <", "p <")


def bip_availability_table(availability: pd.DataFrame, labels: Labels) -> str:
    """Country x reference date: availability of the number of BIPs as printed in the summary."""
    part = availability[availability["measure"] == "number_of_bips"]
    slots = sorted(part["slot"].unique())
    status = _lookup(part, ["country", "slot"], "availability")
    basis = _lookup(part, ["country", "slot"], "basis")
    rows = []
    for c in labels.countries:
        cells = []
        for s in slots:
            v = status.get((c, s))
            text = "-" if v is None else str(v).replace("_", " ")
            if basis.get((c, s)) in ("flow", "stock"):
                text += f" ({basis[(c, s)]})"
            cells.append(text)
        rows.append([f"{labels.countries[c]} ({c})", *cells])
    return md_table(rows, ["Country", *slots])


# ---------------------------------------------------------------- alt text and sources

def alt_extremes(values: dict[str, float], what: str, unit: str = "", digits: int = 1) -> str:
    """One sentence from the data: the highest and lowest of ``values`` (label -> number)."""
    present = {k: v for k, v in values.items() if not is_missing(v)}
    if not present:
        return f"{what}: no values to show."
    hi = max(present, key=lambda k: (present[k], k))
    lo = min(present, key=lambda k: (present[k], k))
    return (f"{what}: highest {hi} ({present[hi]:.{digits}f}{unit}), lowest {lo} ({present[lo]:.{digits}f}{unit}); "
            f"{len(present)} shown.")


def sources_table(rows: list[tuple[str, str]]) -> str:
    """The appendix table: what the reader sees, and the pipeline file(s) it is read from."""
    return md_table([[markdown_text(what), f"`{files}`"] for what, files in rows], ["Table or figure", "Read from"],
                    ["left", "left"])
