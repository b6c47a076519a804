"""Report figures (matplotlib, Agg): colour-blind-safe palettes, titles and units.

Each function takes tidy data frames and returns a matplotlib Figure; ``save_png`` writes it
deterministically (no software/date metadata, fixed size and resolution), so the same tables give
byte-identical images and reports. Every figure is drawn at the width it is printed at
(``WIDTH``: the A4 text width of the PDF), so the font sizes below are the printed sizes (at
least ``MIN_FONT`` points). The source of each figure is named in its caption and the report's
appendix, not inside the image.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..core.io import atomic_path  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette; rounds also differ by marker shape.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MARKERS = ["o", "s", "D", "^", "v", "P"]
SEQUENTIAL = "cividis"  # perceptually uniform and readable with colour-vision deficiencies
DPI = 150
WIDTH = 6.7  # inches: the text width of the A4 PDF (21 cm - 2 x 2 cm margins), figures print at 100%
MIN_FONT = 7.5  # points at the printed size: no text in a figure is smaller

plt.rcParams.update({
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.labelsize": 8.5,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "savefig.dpi": DPI,
    "text.parse_math": False,  # names from config/codebook are plain text: '$x$' is never mathtext (core/safety.py)
})


def save_png(fig, path: str | Path) -> None:
    """Write ``fig`` as PNG without metadata that would vary between runs, then close it."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)


def _title(fig, text: str) -> None:
    fig.suptitle(text, x=0.01, ha="left", fontsize=10, fontweight="bold")


def _luminance(rgb) -> float:
    """WCAG relative luminance of an sRGB colour (components 0-1)."""
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a, b) -> float:
    """WCAG contrast ratio of two sRGB colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def label_colour(background) -> str:
    """Black or white, whichever contrasts more with ``background`` (always at least 4.5:1)."""
    return "black" if contrast_ratio(background, (0, 0, 0)) >= contrast_ratio(background, (1, 1, 1)) else "white"


def _dodge(n: int, width: float = 0.36) -> list[float]:
    """Vertical offsets of n series on one row, so markers of different rounds do not hide each other."""
    return [0.0] if n == 1 else [width / 2 - i * width / (n - 1) for i in range(n)]


def round_styles(rounds: list[str]) -> dict[str, dict]:
    return {r: {"color": OKABE_ITO[i % len(OKABE_ITO)], "marker": MARKERS[i % len(MARKERS)]} for i, r in enumerate(rounds)}


def dimension_profile(scores: pd.DataFrame, dimension_names: dict[str, str], rounds: list[str], title: str):
    """Dot plot: one row per dimension (codebook order), one marker per round (shape and colour,
    each round on its own line within the row), x = score 0-100."""
    dims = list(dimension_names)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.34 * len(dims) + 1.3))
    y = {d: len(dims) - 1 - i for i, d in enumerate(dims)}
    styles = round_styles(rounds)
    for r, offset in zip(rounds, _dodge(len(rounds))):
        part = scores[(scores["round"] == r) & scores["score"].notna()]
        ax.scatter(part["score"], [y[d] + offset for d in part["dimension"]], s=30, label=r, zorder=3,
                   edgecolors="white", linewidths=0.5, **styles[r])
    ax.set_yticks([y[d] for d in dims], [dimension_names[d] for d in dims])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Score (0-100)")
    _title(fig, title)
    ax.legend(title="Round", loc="upper center", bbox_to_anchor=(0.5, -0.09 - 1.0 / len(dims)), ncol=len(rounds))
    fig.tight_layout()
    return fig


def interval_plot(frame: pd.DataFrame, label_col: str, value_col: str, low_col: str, high_col: str,
                  panel_col: str, panels: list[str], title: str, xlabel: str,
                  zero_line: bool = True, labels: list[str] | None = None, rank_of: int | None = None):
    """Forest plot: one panel per value of ``panel_col`` (all on the same x-scale), a point with its
    interval per label. ``rank_of``: the values are ranks 1..rank_of, drawn with 1 (highest) on the right."""
    labels = labels if labels is not None else list(dict.fromkeys(frame[label_col]))
    y = {lab: len(labels) - 1 - i for i, lab in enumerate(labels)}
    fig, axes = plt.subplots(1, len(panels), figsize=(WIDTH, 0.3 * len(labels) + 1.4), sharey=True, sharex=True,
                             squeeze=False)
    for i, (ax, panel) in enumerate(zip(axes[0], panels)):
        part = frame[(frame[panel_col] == panel) & frame[value_col].notna()]
        ys = [y[v] for v in part[label_col]]
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        lo = (part[value_col] - part[low_col]).clip(lower=0)
        hi = (part[high_col] - part[value_col]).clip(lower=0)
        ax.errorbar(part[value_col], ys, xerr=[lo.fillna(0), hi.fillna(0)], fmt=MARKERS[i % len(MARKERS)],
                    color=colour, ecolor=colour, elinewidth=1.2, capsize=2, markersize=4.5, zorder=3)
        if zero_line:
            ax.axvline(0, color="#666666", linewidth=0.8, zorder=2)
        if rank_of:
            ax.set_xlim(rank_of + 0.5, 0.5)
            ax.set_xticks(sorted({1, *range(5, rank_of + 1, 5), rank_of}))
        ax.set_title(str(panel), fontsize=9, loc="center", fontweight="normal")
    axes[0][0].set_yticks(list(y.values()), list(y.keys()))
    _title(fig, title)
    fig.supxlabel(xlabel, fontsize=8.5)
    fig.tight_layout()
    return fig


def heatmap(matrix: pd.DataFrame, title: str, colour_label: str, vmin: float = 0, vmax: float = 100,
            fmt: str = "{:.0f}", cmap: str = SEQUENTIAL):
    """Annotated heatmap of ``matrix`` (rows x columns, drawn in the given order); missing cells are
    hatched and marked '-'. Each cell's label is black or white, whichever contrasts more with it."""
    values = matrix.to_numpy(dtype=float)
    columns = [textwrap.fill(str(c), 18) for c in matrix.columns]
    longest_column = max(len(line) for c in columns for line in c.split("\n"))
    fig, ax = plt.subplots(figsize=(WIDTH, 0.26 * matrix.shape[0] + 0.075 * longest_column + 1.0))
    ax.grid(False)
    ax.set_facecolor("white")
    masked = np.ma.masked_invalid(values)
    image = ax.imshow(masked, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    norm = image.norm
    for (i, j), v in np.ndenumerate(values):
        if np.isnan(v):
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#999999", linewidth=0))
            ax.text(j, i, "-", ha="center", va="center", fontsize=MIN_FONT, color="#333333")
        else:
            shade = matplotlib.colormaps[cmap](norm(v))
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=MIN_FONT, color=label_colour(shade))
    ax.set_xticks(range(matrix.shape[1]), columns, rotation=35, ha="right", rotation_mode="anchor",
                  fontsize=MIN_FONT, linespacing=1.0)
    ax.set_yticks(range(matrix.shape[0]), [str(r) for r in matrix.index], fontsize=MIN_FONT)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(colour_label)
    _title(fig, title)
    fig.tight_layout()
    return fig


def range_plot(frame: pd.DataFrame, dimension_names: dict[str, str], title: str):
    """Per dimension: every country's score as a dot, the range from lowest to highest as a bar,
    the two ends labelled with their country codes (``frame``: dimension, country, score)."""
    dims = list(dimension_names)
    y = {d: len(dims) - 1 - i for i, d in enumerate(dims)}
    fig, ax = plt.subplots(figsize=(WIDTH, 0.34 * len(dims) + 1.2))
    for d in dims:
        part = frame[(frame["dimension"] == d) & frame["score"].notna()].sort_values(["score", "country"])
        if part.empty:
            continue
        low, high = part.iloc[0], part.iloc[-1]
        ax.plot([low["score"], high["score"]], [y[d], y[d]], color="#bbbbbb", linewidth=5, solid_capstyle="round", zorder=2)
        ax.scatter(part["score"], [y[d]] * len(part), s=12, color=OKABE_ITO[0], zorder=3)
        ax.text(low["score"] - 1.5, y[d], low["country"], ha="right", va="center", fontsize=MIN_FONT, color="#1d2733")
        ax.text(high["score"] + 1.5, y[d], high["country"], ha="left", va="center", fontsize=MIN_FONT, color="#1d2733")
    ax.set_yticks(list(y.values()), [dimension_names[d] for d in dims])
    ax.set_xlim(-8, 108)
    ax.set_xlabel("Score (0-100)")
    _title(fig, title)
    fig.tight_layout()
    return fig
