"""The country report's words and evidence, as pure functions of its tables.

"At a glance" sentences (every number from a table, see comparisons.Finding), the indicators
behind each dimension score (question text from the codebook, answer and points per round), the
indicators that drove each change (report_drivers), the unscored dimension "Impact of reception
on integration", and the area "General conditions" explained.
"""

from __future__ import annotations

import pandas as pd

from .comparisons import Finding
from ..core.safety import markdown_text
from .content import Labels, fmt_change, fmt_score, is_missing

# NIEM's own names where this project's codebook words a dimension differently: the Project
# Summary 2016-2022 (docs/source/, "The 13 dimensions assessed were") prints these.
NIEM_NAMES = {"family_reunification": "Family unity and reunification", "vocational_training": "Vocational training"}


def niem_names(codebook: dict, scored_only: bool = True) -> dict[str, str]:
    """Dimension id -> NIEM's printed name (the codebook's name where NIEM prints the same)."""
    return {d["id"]: NIEM_NAMES.get(d["id"], d["name"]) for d in codebook["dimensions"] if d["scored"] or not scored_only}


def _score(frame: pd.DataFrame, **keys) -> float:
    part = frame
    for k, v in keys.items():
        part = part[part[k].isna()] if v is None else part[part[k] == v]
    return float(part["score"].iloc[0]) if len(part) and not is_missing(part["score"].iloc[0]) else float("nan")


def at_a_glance(country: str, labels: Labels, names: dict[str, str], dimensions: pd.DataFrame, overall: pd.DataFrame,
                steps: pd.DataFrame, benchmark: pd.DataFrame, change: pd.DataFrame) -> list[Finding]:
    """Sentences for one country, latest round: strongest and weakest dimension; overall score
    against the cross-country mean, dimensions above the mean and where it scores highest; the
    dimension with the widest legal-implementation gap; the largest change since the previous round."""
    name, latest = labels.countries[country], labels.rounds[-1]
    out: list[Finding] = []
    d = dimensions[(dimensions["round"] == latest) & dimensions["score"].notna() & dimensions["dimension"].isin(list(names))]
    d = d.sort_values(["score", "dimension"], ascending=[False, True], kind="mergesort")
    if len(d) >= 2:
        top, bottom = d.iloc[0], d.iloc[-1]
        out.append(Finding("strongest", f"In {latest}, {name}'s strongest dimension is {names[top['dimension']]} "
                                        f"({fmt_score(top['score'])}) and its weakest {names[bottom['dimension']]} "
                                        f"({fmt_score(bottom['score'])}).",
                           (("dimension_scores", top["score"]), ("dimension_scores", bottom["score"]))))
    bench = benchmark[benchmark["round"] == latest]
    own = _score(overall, round=latest)
    b_all = bench[bench["level"] == "overall"]
    if not is_missing(own) and len(b_all):
        mean = float(b_all["mean_score"].iloc[0])
        n = int(b_all["n_countries"].iloc[0])
        b_dim = bench[bench["level"] == "dimension"].set_index("dimension")
        joined = d.set_index("dimension")[["score"]].join(b_dim[["mean_score", "best_countries"]], how="inner")
        above = int((joined["score"] > joined["mean_score"]).sum())
        best = [names[x] for x in joined.index if country in str(joined.at[x, "best_countries"]).split(";")]
        side = "above" if own > mean else "below" if own < mean else "level with"
        text = (f"Its overall score of {fmt_score(own)} is {fmt_score(abs(own - mean))} points {side} the {n}-country "
                f"average ({fmt_score(mean)}); it scores above the average in {above} of {len(joined)} dimensions")
        text += (f" and highest of all countries in {', '.join(best)}." if best else " and is not the highest-scoring country in any.")
        out.append(Finding("position", text, (("overall_scores", own), ("difference", abs(own - mean)), ("count", n),
                                              ("mean", mean), ("count", above), ("count", len(joined)))))
    s = steps[(steps["round"] == latest) & steps["dimension"].isin(list(names))]
    wide = s.pivot(index="dimension", columns="step", values="score")
    if {"legal", "implementation"} <= set(wide.columns):
        gap = (wide["legal"] - wide["implementation"]).dropna().rename("gap").reset_index()
        if len(gap):
            g = gap.sort_values(["gap", "dimension"], ascending=[False, True], kind="mergesort").iloc[0]
            leg, imp = wide.at[g["dimension"], "legal"], wide.at[g["dimension"], "implementation"]
            out.append(Finding("gap", f"The widest gap between law and practice is in {names[g['dimension']]}: "
                                      f"{fmt_score(leg)} for the legal framework against {fmt_score(imp)} for implementation "
                                      f"& collaboration ({fmt_score(g['gap'])} points).",
                               (("step_scores", leg), ("step_scores", imp), ("gap", g["gap"]))))
    if len(labels.rounds) > 1:
        prev = labels.rounds[-2]
        ch = change[(change["level"] == "dimension") & (change["from_round"] == prev) & (change["to_round"] == latest)
                    & change["change"].notna() & change["dimension"].isin(list(names))]
        if len(ch):
            ch = ch.assign(size=ch["change"].abs()).sort_values(["size", "dimension"], ascending=[False, True], kind="mergesort")
            c = ch.iloc[0]
            out.append(Finding("change", f"Its largest change since {prev} is in {names[c['dimension']]}: "
                                         f"{fmt_change(c['change'])} points ({fmt_score(c['score_from'])} to {fmt_score(c['score_to'])}).",
                               (("change", c["change"]), ("score", c["score_from"]), ("score", c["score_to"]))))
    return out


def answer_text(row: dict, options: dict[str, str] | None = None) -> str:
    """An indicator answer as shown: the scale option's label (``options``: value -> label) or the
    number, or 'no data' / 'not applicable' / 'unanswered'."""
    if is_missing(row.get("status")):
        return "not asked"
    if row["status"] in ("no_data", "not_applicable"):
        return row["status"].replace("_", " ")
    if row["status"] != "answered":
        return row["status"].replace("_", " ")
    answer = row.get("answer")
    return "" if is_missing(answer) else (options or {}).get(str(answer), str(answer))


def _options(codebook: dict, indicator: dict) -> dict[str, str]:
    scale = codebook.get("scales", {}).get((indicator.get("answer") or {}).get("scale") or "", {})
    return {o["value"]: o["label"] for o in scale.get("options", [])}


def indicator_evidence(indicators: pd.DataFrame, codebook: dict, rounds: list[str], dimension: str) -> list[dict]:
    """One row per indicator of a dimension (codebook order): id, step, question, and per round
    the answer as shown and its points (None when not scored)."""
    own = indicators[indicators["dimension"] == dimension]
    by_key = {(r["indicator_id"], r["round"]): r for r in own.to_dict("records")}
    out = []
    for ind in codebook["indicators"]:
        if ind["dimension"] != dimension:
            continue
        cells = {}
        for r in rounds:
            row = by_key.get((ind["id"], r))
            cells[r] = (answer_text(row, _options(codebook, ind)) if row else "not asked",
                        None if row is None or is_missing(row.get("points")) else float(row["points"]))
        out.append({"id": ind["id"], "step": ind["step"], "question": ind["question"], "kind": ind["kind"], "rounds": cells})
    return out


def change_drivers(drivers: pd.DataFrame, indicators: pd.DataFrame, codebook: dict, from_round: str, to_round: str,
                   dimension: str, top: int = 3) -> list[dict]:
    """The indicators that moved a dimension most between two rounds: the largest absolute
    contributions (report_drivers) with question text and the old and new answers."""
    part = drivers[(drivers["from_round"] == from_round) & (drivers["to_round"] == to_round) & (drivers["dimension"] == dimension)
                   & drivers["contribution"].notna() & (drivers["contribution"] != 0)]
    part = part.assign(size=part["contribution"].abs()).sort_values(["size", "indicator_id"], ascending=[False, True],
                                                                    kind="mergesort").head(top)
    by_id = {i["id"]: i for i in codebook["indicators"]}
    questions = {i: ind["question"] for i, ind in by_id.items()}
    answers = {(r["indicator_id"], r["round"]): r for r in indicators.to_dict("records")}
    out = []
    for r in part.to_dict("records"):
        a, b = answers.get((r["indicator_id"], from_round)), answers.get((r["indicator_id"], to_round))
        out.append({"id": r["indicator_id"], "step": r["step"], "question": questions.get(r["indicator_id"], ""),
                    "answer_from": answer_text(a, _options(codebook, by_id.get(r["indicator_id"], {}))) if a else "not asked",
                    "answer_to": answer_text(b, _options(codebook, by_id.get(r["indicator_id"], {}))) if b else "not asked",
                    "points_from": r["points_from"], "points_to": r["points_to"], "contribution": r["contribution"]})
    return out


def general_conditions_text(codebook: dict) -> str:
    """What the area 'General conditions' holds, from the codebook: its unscored and scored dimensions."""
    area = next(a for a in codebook["areas"] if a["id"] == "general")
    dims = [d for d in codebook["dimensions"] if d["area"] == "general"]
    scored = [d["name"] for d in dims if d["scored"]]
    unscored = [d["name"] for d in dims if not d["scored"]]
    text = f"The area \"{area['name']}\" holds {len(dims)} NIEM dimensions: {', '.join(d['name'] for d in dims)}."
    if unscored:
        text += (f" {' and '.join(unscored)} is described, not scored, so the area score is the score of "
                 f"{' and '.join(scored)} alone." if len(scored) == 1 else f" {' and '.join(unscored)} is described, not scored.")
    return text


# ---------------------------------------------------------------- markdown for the report sections

LEGAL_FIELD_NAMES = {"crucial_documents": "Crucial documents",
                     "framework_organisation": "If there is not one framework document, how is integration organised in the legal documents",
                     "institutions": "Institutions responsible for integration", "programme": "Information on integration programmes",
                     "programme_name": "Integration programme: name", "programme_duration": "Integration programme: duration",
                     "programme_support": "Integration programme: support offered", "useful_links": "Useful links",
                     "footnote": "Footnotes"}


def legal_framework_sections(legal: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """The country's legal-framework table as (row name, [escaped items]) in the printed row order."""
    out = []
    for field_id, title in LEGAL_FIELD_NAMES.items():
        part = legal[legal["field"] == field_id].sort_values("item")
        if len(part):
            out.append((title, [markdown_text(t) for t in part["text"]]))
    return out


def _points(value) -> str:
    return "" if value is None or is_missing(value) else f"{value:.0f}"


def evidence_list(rows: list[dict], rounds: list[str], steps: dict[str, str], scored: bool = True) -> list[str]:
    """Indicators of one dimension as escaped list items: id, step, question, then per round the
    answer (and its points). A list, not a table: it breaks across PDF pages (a Typst table is a
    figure, which does not)."""
    items = []
    for r in rows:
        cells = []
        for rd in rounds:
            answer, pts = r["rounds"][rd]
            cells.append(f"{rd}: {markdown_text(answer)}" + (f" ({_points(pts)} points)" if scored and pts is not None else ""))
        step = (f" ({markdown_text(steps.get(r['step'], r['step']))})" if scored and r["step"] else
                " (statistical data, not scored)" if scored and r["kind"] == "statistical" else "")
        items.append(f"**{markdown_text(r['id'])}**{step} {markdown_text(r['question'])}  \n{'; '.join(cells)}")
    return items


def drivers_list(items: list[dict], rounds: tuple[str, str]) -> list[str]:
    """One escaped line per driving indicator: question, old and new answer, points, contribution."""
    a, b = rounds
    return [f"{markdown_text(i['id'])} {markdown_text(i['question'])}: {markdown_text(i['answer_from'])} ({a}) to "
            f"{markdown_text(i['answer_to'])} ({b}), points {_points(i['points_from']) or 'none'} to {_points(i['points_to']) or 'none'}, "
            f"contribution {fmt_change(i['contribution'])} to the {markdown_text(i['step'])} step score"
            for i in items]


def country_sections(t: dict[str, pd.DataFrame], labels: Labels, codebook: dict, country: str,
                     stable_threshold: float) -> dict:
    """Template context of the sections in workflow/report/sections/country_*.qmd.j2."""
    names = niem_names(codebook)
    all_names = niem_names(codebook, scored_only=False)
    glance = at_a_glance(country, labels, names, t["dimension_scores"], t["overall_scores"], t["step_scores"],
                         t["report_benchmark"], t["report_change"])
    explained = []
    if len(labels.rounds) > 1:
        a, b = labels.rounds[-2], labels.rounds[-1]
        ch = t["report_change"]
        ch = ch[(ch["level"] == "dimension") & (ch["from_round"] == a) & (ch["to_round"] == b) & ch["change"].notna()
                & (ch["change"].abs() >= stable_threshold)]
        for r in ch.sort_values(["change", "dimension"], key=lambda s: s.abs() if s.name == "change" else s,
                                ascending=[False, True]).to_dict("records"):
            items = change_drivers(t["report_drivers"], t["indicator_scores"], codebook, a, b, r["dimension"])
            explained.append((markdown_text(names.get(r["dimension"], r["dimension"])), fmt_change(r["change"]),
                              drivers_list(items, (a, b))))
    unscored = [d["id"] for d in codebook["dimensions"] if not d["scored"]]
    return {
        "glance_sentences": [markdown_text(f.text) for f in glance],
        "general_conditions_text": markdown_text(general_conditions_text(codebook)),
        "dimension_names_note": markdown_text("; ".join(f"{labels.dimensions.get(d, d)} = NIEM's \"{n}\"" for d, n in NIEM_NAMES.items()
                                                        if d in labels.dimensions and labels.dimensions[d] != n)),
        "explained_round_pair": f"{labels.rounds[-2]} to {labels.rounds[-1]}" if len(labels.rounds) > 1 else "",
        "change_explained": explained,
        "unscored_dimensions": [(markdown_text(all_names[d]),
                                 evidence_list(indicator_evidence(t["indicator_scores"], codebook, labels.rounds, d),
                                               labels.rounds, labels.steps, scored=False)) for d in unscored],
        "evidence_tables": [(markdown_text(names[d]),
                             evidence_list(indicator_evidence(t["indicator_scores"], codebook, labels.rounds, d),
                                           labels.rounds, labels.steps)) for d in names],
        "legal_framework": legal_framework_sections(t["legal_framework"]),
    }
