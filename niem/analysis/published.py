"""Recompute every published NIEM figure from the pipeline's tables and compare.

The register (config/published_figures.yaml) lists each figure or statement as printed, with its
source and a ``check`` saying how to recompute it. Each check type below takes the results and
the check's parameters and returns (recomputed value as text, passed).
"""

from __future__ import annotations

import difflib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.errors import Problem, raise_if
from ..core.schema import schema_problems
from ..core.yamlio import dotted, line_of, load_yaml
from ..inputs.codebook import Codebook


@dataclass
class Results:
    overall: pd.DataFrame
    overall_step: pd.DataFrame
    dimension: pd.DataFrame
    step: pd.DataFrame
    indicators: pd.DataFrame
    change: pd.DataFrame
    codebook: Codebook


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:.2f}"
    if isinstance(x, (list, tuple)):
        return ", ".join(_fmt(v) for v in x)
    return str(x)


def _overall(R, round_):
    return R.overall[R.overall["round"] == round_].set_index("country")["score"]


def _dims(R, round_):
    d = R.dimension[R.dimension["round"] == round_]
    return d.pivot(index="country", columns="dimension", values="score")


def _spreads(R, round_):
    m = _dims(R, round_)
    return (m.max() - m.min()).sort_values()


def _change(R, r1, r2, level, dimension=None, step=None):
    c = R.change
    c = c[(c["from_round"] == r1) & (c["to_round"] == r2) & (c["level"] == level)]
    if dimension is not None:
        c = c[c["dimension"] == dimension]
    if step is not None:
        c = c[c["step"] == step]
    return c.set_index("country")


def _close(value, published, tolerance):
    return abs(value - published) <= tolerance + 1e-9


# --- check types -----------------------------------------------------------------------------

def overall_score(R, published, tolerance, country, round):
    v = float(_overall(R, round)[country])
    return _fmt(v), _close(v, published, tolerance)


def overall_step_score(R, published, tolerance, country, round, step):
    s = R.overall_step
    v = float(s[(s["country"] == country) & (s["round"] == round) & (s["step"] == step)]["score"].iloc[0])
    return _fmt(v), _close(v, published, tolerance)


def mean_dimension_spread(R, published, tolerance, round):
    v = float(_spreads(R, round).mean())
    return _fmt(v), _close(v, published, tolerance)


def dimension_spread(R, published, tolerance, round, dimension):
    v = float(_spreads(R, round)[dimension])
    return _fmt(v), _close(v, published, tolerance)


def widest_spread_dimension(R, published, tolerance, round):
    v = _spreads(R, round).index[-1]
    return v, v == published


def narrowest_spread_dimension(R, published, tolerance, round):
    v = _spreads(R, round).index[0]
    return v, v == published


def weakest_dimension_in_every_country(R, published, tolerance, round):
    dims = _dims(R, round)
    unscored = sorted(dims.index[dims.isna().all(axis=1)])  # no dimension score at all: no weakest one
    lowest = dims.drop(index=unscored).idxmin(axis=1)
    others = sorted(lowest[lowest != published].index)
    text = f"weakest for all {len(lowest)}" if not others else f"not weakest in {', '.join(others)}"
    return text + (f"; no dimension scores in {', '.join(unscored)}" if unscored else ""), not others and not unscored


def weakest_step_on_average(R, published, tolerance, round):
    s = R.overall_step[R.overall_step["round"] == round].groupby("step")["score"].mean()
    return s.idxmin(), s.idxmin() == published


def strongest_step_on_average(R, published, tolerance, round):
    s = R.overall_step[R.overall_step["round"] == round].groupby("step")["score"].mean()
    return s.idxmax(), s.idxmax() == published


def step_below_in_every_country(R, published, tolerance, round, step, reference):
    s = R.overall_step[R.overall_step["round"] == round].pivot(index="country", columns="step", values="score")
    bad = sorted(s.index[s[step] >= s[reference]])
    return (f"{step} below {reference} in all {len(s)}" if not bad else f"not in {', '.join(bad)}"), (not bad) == published


def countries_above(R, published, tolerance, round, threshold):
    o = _overall(R, round)
    v = sorted(o.index[o > threshold])
    return _fmt(v), v == sorted(published)


def countries_below(R, published, tolerance, round, threshold):
    o = _overall(R, round)
    v = sorted(o.index[o < threshold])
    return _fmt(v), v == sorted(published)


def overall_rank(R, published, tolerance, country, round):
    v = int(_overall(R, round).rank(ascending=False, method="min")[country])
    return str(v), v == published


def below_mean_of_others(R, published, tolerance, country, round):
    """Every overall-step score and the overall score below the mean of the other countries."""
    s = R.overall_step[R.overall_step["round"] == round].pivot(index="country", columns="step", values="score")
    s["overall"] = _overall(R, round)
    others = s.drop(index=country).mean()
    below = s.loc[country] < others
    return ("all below" if below.all() else f"not below in {', '.join(below.index[~below])}"), bool(below.all()) == published


def overall_change_sign(R, published, tolerance, countries, from_round, to_round):
    c = _change(R, from_round, to_round, "overall")["change"]
    v = {k: float(c[k]) for k in countries}
    ok = all((x < 0) if published == "declined" else (x > 0) for x in v.values())
    return ", ".join(f"{k} {x:+.1f}" for k, x in v.items()), ok


def top_overall_changes(R, published, tolerance, from_round, to_round, positions):
    """``published`` countries occupy exactly the given rank positions of overall change."""
    c = _change(R, from_round, to_round, "overall")["change"].sort_values(ascending=False)
    got = sorted(c.index[[p - 1 for p in positions]])
    return _fmt(got), got == sorted(published)


def most_negative_step_change(R, published, tolerance, country, from_round, to_round):
    c = _change(R, from_round, to_round, "overall_step")
    c = c.loc[[country]].set_index("step")["change"]
    return c.idxmin(), c.idxmin() == published


def improved_dimensions(R, published, tolerance, country, from_round, to_round):
    c = _change(R, from_round, to_round, "dimension").loc[[country]]
    v = int((c["change_class"] == "improved").sum())
    return str(v), v == published


def changed_dimensions_at_most(R, published, tolerance, country, from_round, to_round):
    c = _change(R, from_round, to_round, "dimension").loc[[country]]
    v = int((c["change_class"] != "stable").sum())
    return str(v), v <= published


def overall_change_class(R, published, tolerance, country, from_round, to_round):
    v = _change(R, from_round, to_round, "overall").loc[country, "change_class"]
    return v, v == published


def top_mean_dimension_changes(R, published, tolerance, from_round, to_round):
    m = _change(R, from_round, to_round, "dimension").groupby("dimension")["change"].mean().sort_values(ascending=False)
    got = list(m.index[: len(published)])
    return _fmt(got), got == list(published)


def most_declining_dimensions(R, published, tolerance, from_round, to_round):
    c = _change(R, from_round, to_round, "dimension")
    n = (c["change_class"] == "declined").groupby(c["dimension"]).sum().sort_values(ascending=False, kind="stable")
    k = len(published)
    top = set(n.index[:k])
    # a tie at the cut would make the top-k ambiguous: require a strict gap
    ok = top == set(published) and n.iloc[k - 1] > n.iloc[k]
    return ", ".join(f"{d} {int(n[d])}" for d in n.index[: k + 1]), ok


def mean_change_sign(R, published, tolerance, from_round, to_round, level, dimension=None, step=None):
    v = float(_change(R, from_round, to_round, level, dimension, step)["change"].mean())
    return f"{v:+.2f}", (v < 0) if published == "negative" else (v > 0)


def mean_change_within(R, published, tolerance, from_round, to_round, level):
    v = float(_change(R, from_round, to_round, level)["change"].mean())
    return f"{v:+.2f}", abs(v) <= published


def country_change_sign(R, published, tolerance, country, from_round, to_round, level, dimension=None, step=None):
    v = float(_change(R, from_round, to_round, level, dimension, step).loc[country, "change"])
    return f"{v:+.2f}", (v < 0) if published == "negative" else (v > 0)


def only_significant_step_change(R, published, tolerance, from_round, to_round, alpha):
    """Paired t-test across countries per step: only ``published`` improves significantly."""
    from scipy import stats

    c = _change(R, from_round, to_round, "overall_step")
    sig = []
    for step, g in c.groupby("step"):
        t = stats.ttest_1samp(g["change"], 0.0)
        if t.pvalue < alpha and g["change"].mean() > 0:
            sig.append(step)
    return _fmt(sig) or "none", sig == [published]


def step_ranks_within(R, published, tolerance, country, round, dimension):
    s = R.step[(R.step["round"] == round) & (R.step["dimension"] == dimension)]
    s = s.pivot(index="country", columns="step", values="score").rank(ascending=False, method="min")
    ranks = s.loc[country]
    lo, hi = published
    return ", ".join(f"{k} {int(v)}" for k, v in ranks.items()), bool(((ranks >= lo) & (ranks <= hi)).all())


def highest_on_most_indicators(R, published, tolerance, country, round):
    i = R.indicators[(R.indicators["round"] == round) & (R.indicators["kind"] == "scored")]
    p = i.pivot(index="indicator_id", columns="country", values="points")
    top = p[country] >= p.drop(columns=country).max(axis=1)
    v = float(top.mean())
    return f"{v:.2f}", v > published


def dimensions_in_top(R, published, tolerance, country, round, k):
    d = _dims(R, round).loc[country].sort_values(ascending=False)
    top = list(d.index[:k])
    return _fmt(top), set(published) <= set(top)


def dimensions_in_bottom(R, published, tolerance, country, round, k, exclude=()):
    d = _dims(R, round).loc[country].drop(list(exclude)).sort_values()
    bottom = list(d.index[:k])
    return _fmt(bottom), set(published) <= set(bottom)


def strongest_step(R, published, tolerance, country, round):
    s = R.overall_step[(R.overall_step["round"] == round) & (R.overall_step["country"] == country)].set_index("step")["score"]
    return s.idxmax(), s.idxmax() == published


def weakest_step(R, published, tolerance, country, round):
    s = R.overall_step[(R.overall_step["round"] == round) & (R.overall_step["country"] == country)].set_index("step")["score"]
    return s.idxmin(), s.idxmin() == published


def top_step_cells(R, published, tolerance, country, round, step, k, among):
    s = R.step[(R.step["round"] == round) & (R.step["country"] == country) & (R.step["step"] == step)]
    s = s[s["dimension"].isin(among)].set_index("dimension")["score"].sort_values(ascending=False)
    top = list(s.index[:k])
    return _fmt(top), set(top) == set(published)


def legal_policy_ranking(R, published, tolerance, round, top, bottom, among):
    """On the mean of legal and policy step scores across countries: ``top`` first, ``bottom`` last."""
    s = R.step[(R.step["round"] == round) & R.step["step"].isin(["legal", "policy"]) & R.step["dimension"].isin(among)]
    m = s.groupby("dimension")["score"].mean().sort_values(ascending=False)
    order = list(m.index)
    ok = set(order[: len(top)]) == set(top) and set(order[len(order) - len(bottom):]) == set(bottom)
    return _fmt(order), ok == published


def _stat(R, round):
    i = R.indicators
    return i[(i["round"] == round) & (i["kind"] == "statistical")]


def no_data_share(R, published, tolerance, country, round):
    i = R.indicators
    i = i[(i["round"] == round) & (i["country"] == country)]
    v = float((i["status"] == "no_data").mean())
    return f"{v:.3f} of {len(i)}", _close(v, published, tolerance)


def no_statistical_data(R, published, tolerance, countries, round, dimension):
    s = _stat(R, round)
    s = s[s["dimension"] == dimension]
    with_data = sorted(c for c in countries if (s[s["country"] == c]["status"] == "answered").any())
    return ("no data in all" if not with_data else f"data in {', '.join(with_data)}"), (not with_data) == published


def largest_gap_dimensions(R, published, tolerance, round):
    s = _stat(R, round)
    avail = (s["status"] == "answered").groupby(s["dimension"]).mean().sort_values(kind="stable")
    k = len(published)
    ok = set(avail.index[:k]) == set(published) and avail.iloc[k - 1] < avail.iloc[k]
    return ", ".join(f"{d} {avail[d]:.2f}" for d in avail.index[: k + 1]), ok


def largest_gap_themes(R, published, tolerance, round):
    s = _stat(R, round)
    theme = s["indicator_id"].map({i.id: i.theme for i in R.codebook.indicators})
    avail = (s["status"] == "answered").groupby(theme).mean().sort_values(kind="stable")
    k = len(published)
    ok = set(avail.index[:k]) == set(published) and avail.iloc[k - 1] < avail.iloc[k]
    return ", ".join(f"{d} {avail[d]:.2f}" for d in avail.index), ok


def best_data_availability(R, published, tolerance, round):
    i = R.indicators[R.indicators["round"] == round]
    avail = (i["status"] == "answered").groupby(i["country"]).mean().sort_values(ascending=False, kind="stable")
    k = len(published)
    ok = set(avail.index[:k]) == set(published) and avail.iloc[k - 1] > avail.iloc[k]
    return ", ".join(f"{c} {avail[c]:.2f}" for c in avail.index[: k + 1]), ok


def no_data_in_theme(R, published, tolerance, country, round, theme):
    s = _stat(R, round)
    s = s[(s["country"] == country) & (s["indicator_id"].map({i.id: i.theme for i in R.codebook.indicators}) == theme)]
    answered = sorted(s[s["status"] == "answered"]["indicator_id"])
    return ("no data on any" if not answered else f"data on {', '.join(answered)}"), (not answered) == published


def data_in_every_dimension(R, published, tolerance, country, round):
    s = _stat(R, round)
    s = s[s["country"] == country]
    has = (s["status"] == "answered").groupby(s["dimension"]).any()
    missing = sorted(has.index[~has])
    return ("data in all dimensions" if not missing else f"none in {', '.join(missing)}"), (not missing) == published


def most_gaps_dimensions(R, published, tolerance, country, round):
    """The listed dimensions are the country's dimensions with the largest share of 'no data'."""
    i = R.indicators
    i = i[(i["round"] == round) & (i["country"] == country) & (i["kind"] != "descriptive")]
    share = (i["status"] == "no_data").groupby(i["dimension"]).mean().sort_values(ascending=False, kind="stable")
    k = len(published)
    ok = set(share.index[:k]) == set(published) and share.iloc[k - 1] > share.iloc[k]
    return ", ".join(f"{d} {share[d]:.2f}" for d in share.index[: k + 1]), ok


def legal_policy_position(R, published, tolerance, round, dimension, among):
    """Position of ``dimension`` in the ranking of legal+policy step scores (mean over countries)."""
    s = R.step[(R.step["round"] == round) & R.step["step"].isin(["legal", "policy"]) & R.step["dimension"].isin(among)]
    order = list(s.groupby("dimension")["score"].mean().sort_values(ascending=False).index)
    v = order.index(dimension) + 1
    return f"{v} of {len(order)}", v == published


def step_cells_above_country_mean(R, published, tolerance, country, round, step):
    """The ``published`` dimensions score above the country's mean over all dimensions in ``step``."""
    s = R.step[(R.step["round"] == round) & (R.step["country"] == country) & (R.step["step"] == step)]
    s = s.set_index("dimension")["score"]
    mean = float(s.mean())
    return ", ".join(f"{d} {s[d]:.1f}" for d in published) + f" (mean {mean:.1f})", bool((s[list(published)] > mean).all())


def mixed_indicator_changes(R, published, tolerance, country, dimension, from_round, to_round):
    """Among the country's scored indicators of ``dimension`` asked in both rounds, some gain and some lose points."""
    i = R.indicators
    i = i[(i["country"] == country) & (i["dimension"] == dimension) & (i["kind"] == "scored")]
    p = i.pivot(index="indicator_id", columns="round", values="points")[[from_round, to_round]].dropna()
    d = p[to_round] - p[from_round]
    up, down = int((d > 0).sum()), int((d < 0).sum())
    return f"{up} up, {down} down", (up > 0 and down > 0) == published


def codebook_indicator_count(R, published, tolerance, round, kind=None):
    inds = R.codebook.in_round(round)
    v = sum(1 for i in inds if kind is None or i.kind == kind)
    return str(v), v == published


# every public function above is a check type, named by the register's ``check.type``
CHECKS = {name: fn for name, fn in globals().items()
          if inspect.isfunction(fn) and fn.__module__ == __name__ and not name.startswith("_")}


# checks about the instrument itself need only the codebook
INSTRUMENT_CHECKS = {"codebook_indicator_count"}


def out_of_scope(R: Results, scope: dict) -> str | None:
    """Why the results cannot be compared with the register (None when they can)."""
    countries = set(R.overall["country"])
    rounds = set(R.overall["round"])
    lacking = sorted(set(scope["countries"]) - countries) + sorted(set(scope["rounds"]) - rounds)
    if lacking:
        return f"not computed: this run lacks {', '.join(lacking)} of the published scope"
    return None


CATEGORIES = ("published", "derived", "not_checkable")
_URL = re.compile(r"https?://[^\s;,]+")


def source_url(source: str) -> str:
    """The first web address in a register entry's source ('' when the source is a printed document only)."""
    m = _URL.search(source or "")
    return m.group(0) if m else ""


def as_printed(fig: dict) -> str:
    """The words or number as the source prints them: the entry's ``as_printed``, else a printed number."""
    if fig.get("as_printed"):
        return str(fig["as_printed"])
    value = fig.get("published")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and fig.get("category", "published") == "published":
        return f"{value:g}"
    return ""


def evaluate(register: list[dict], R: Results, scope: dict | None = None) -> list[dict]:
    """One row per register entry: published value, recomputed value, agrees (None = not computed).

    ``category``: published (printed in a source), derived (a check this project derives from a
    printed statement: a threshold or reading, given in ``reading``), not_checkable (printed, but
    this pipeline cannot recompute it: ``reason``; no check)."""
    why_not = out_of_scope(R, scope) if scope else None
    rows = []
    for fig in register:
        category = fig.get("category", "published")
        if category not in CATEGORIES:
            raise ValueError(f"register entry {fig['id']}: category '{category}' is not one of {', '.join(CATEGORIES)}")
        if category == "not_checkable":
            kind, recomputed, ok = None, None, None
        else:
            params = dict(fig["check"])
            kind = params.pop("type")
            if why_not and kind not in INSTRUMENT_CHECKS:
                recomputed, ok = why_not, None
            else:
                recomputed, ok = CHECKS[kind](R, fig["published"], fig.get("tolerance", 0.0), **params)
        reason = fig.get("reason") if category == "not_checkable" else fig.get("reading")
        rows.append({"figure_id": fig["id"], "category": category, "statement": fig["statement"], "source": fig["source"],
                     "source_url": source_url(fig["source"]), "as_printed": as_printed(fig) or None,
                     "reason": reason or None,
                     "check_type": kind, "published": None if "published" not in fig else _fmt(fig["published"]),
                     "tolerance": float(fig.get("tolerance", 0.0)),
                     "recomputed": recomputed, "agrees": None if ok is None else bool(ok)})
    return rows


def results_from_tables(tables: dict, change, codebook: Codebook) -> Results:
    return Results(overall=tables["overall_scores"], overall_step=tables["overall_step_scores"],
                   dimension=tables["dimension_scores"], step=tables["step_scores"],
                   indicators=tables["indicator_scores"], change=change, codebook=codebook)


SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "published_figures.schema.yaml"
# the first three parameters of every check: the results, the published value, the tolerance
CHECK_ARGS = 3
# check parameters that name countries or rounds: they must be in the register's scope
SCOPED = {"country": "countries", "countries": "countries", "round": "rounds", "from_round": "rounds", "to_round": "rounds"}


def check_parameters(kind: str) -> tuple[list[str], list[str]]:
    """(required, optional) parameter names of check type ``kind`` (beyond results, published, tolerance)."""
    params = list(inspect.signature(CHECKS[kind]).parameters.values())[CHECK_ARGS:]
    return ([p.name for p in params if p.default is inspect.Parameter.empty],
            [p.name for p in params if p.default is not inspect.Parameter.empty])


def register_problems(data: dict, file: str, lines: dict) -> list[Problem]:
    """What the register's schema cannot say: ids are unique, a check names a known type with the
    parameters it takes, a recomputed entry (published, derived) has a check and a published
    value, a not_checkable entry has a reason and no check."""
    problems, seen = [], {}
    for i, fig in enumerate(data["figures"]):
        where = ("figures", i)

        def problem(field: str, message: str) -> None:
            path = where + (tuple(field.split(".")) if field else ())  # "check.type": the line of that key
            problems.append(Problem(file, line_of(lines, path), dotted(path), message))

        if fig["id"] in seen:
            problem("id", f"id '{fig['id']}' is used twice (also at line {seen[fig['id']]}); ids must be unique")
        seen.setdefault(fig["id"], line_of(lines, where))
        category = fig.get("category", "published")
        if category == "not_checkable":
            if "reason" not in fig:
                problem("", "a not_checkable entry needs a reason: why this pipeline cannot recompute it")
            if "check" in fig:
                problem("check", "a not_checkable entry has no check (remove it, or set the category to published or derived)")
            continue
        for key in ("check", "published"):
            if key not in fig:
                problem("", f"missing key '{key}': a {category} entry is recomputed and compared with its published value")
        check = fig.get("check")
        if check is None:
            continue
        kind = check["type"]
        if kind not in CHECKS:
            close = difflib.get_close_matches(kind, CHECKS, n=1)
            problem("check.type", f"unknown check type '{kind}'" + (f"; did you mean '{close[0]}'?" if close else ""))
            continue
        required, optional = check_parameters(kind)
        given = [k for k in check if k != "type"]
        for name in required:
            if name not in check:
                problem("check", f"check type '{kind}' needs '{name}' (it takes: {', '.join(required + optional)})")
        for name in given:
            if name not in required + optional:
                problem(f"check.{name}", f"check type '{kind}' takes no '{name}' (it takes: {', '.join(required + optional)})")
            elif name in SCOPED:
                scope_key = SCOPED[name]
                values = check[name] if isinstance(check[name], list) else [check[name]]
                for value in values:
                    if value not in data["scope"][scope_key]:
                        problem(f"check.{name}", f"{value!r} is not one of the register's scope.{scope_key}: "
                                                 f"{', '.join(map(str, data['scope'][scope_key]))}")
    return problems


def load_register(path, schema: str | Path = SCHEMA) -> tuple[list[dict], dict]:
    """(figures, scope): scope names the countries and rounds the published figures refer to.
    Raises InputError naming the line and field of every problem in the register."""
    data, lines = load_yaml(path)
    raise_if(schema_problems(data, schema, str(path), lines))
    raise_if(register_problems(data, str(path), lines))
    return data["figures"], data["scope"]


def evaluate_files(root, config: dict, codebook: Codebook) -> list[dict]:
    """Score the raw evidence in memory (as the pipeline does) and evaluate the register."""
    from pathlib import Path

    from ..scoring.change import change_rows
    from ..scoring.country import build_country_tables
    from ..scoring.rules import ScoringRules

    root = Path(root)
    rules = ScoringRules.from_config(config["scoring"])
    rounds = [r["id"] for r in config["rounds"]]
    tables: dict[str, list] = {}
    for c in [x["code"] for x in config["countries"]]:
        evidence = {r: str(root / config["raw_dir"] / "evidence" / r / f"{c}.csv") for r in rounds}
        for name, rows in build_country_tables(c, evidence, codebook, rules).items():
            tables.setdefault(name, []).extend(rows)
    change = change_rows(tables["indicator_scores"], codebook, rules, rounds, config["analysis"]["stable_threshold"])
    frames = {k: pd.DataFrame(v) for k, v in tables.items()}
    R = results_from_tables(frames, pd.DataFrame(change), codebook)
    figures, scope = load_register(root / config["published_figures"])
    return evaluate(figures, R, scope)
