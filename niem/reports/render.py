"""Render a report's .qmd source to one self-contained HTML file and one PDF.

Engines:
* ``quarto``: one ``quarto render --to html,typst`` (HTML with embedded resources, PDF through
  Quarto's Typst format), with the Quarto-only options of workflow/report/quarto-options.yml.
* ``pandoc``: the pandoc binary shipped in the ``pypandoc-binary`` wheel renders the same source
  to standalone HTML with embedded resources, and to Typst markup, which the ``typst`` wheel
  compiles to PDF. Used where Quarto is not installed.

``auto`` picks quarto when it is on PATH. The .qmd sources contain no code cells, so both engines
read the same markdown, but for the country annex's indicator lists, which Quarto gets rendered
already as raw HTML and Typst blocks (niem/reports/assemble.py: prerendered_lists). Both write
into the report's own work folder; the finished files are then moved into place atomically, so a
failed render leaves no half-written report.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from ..core.io import atomic_path
from ..core.io import source_date_epoch as read_source_date_epoch

ENGINES = ("auto", "quarto", "pandoc")
# Timestamp written into PDFs when SOURCE_DATE_EPOCH is not set: fixed, so PDFs are reproducible
# (2022-01-01T00:00:00Z, the year of the NIEM summary this project transcribes).
DEFAULT_SOURCE_DATE_EPOCH = 1640995200


class RenderError(RuntimeError):
    """A renderer failed; the message names the engine, the source and what the tool printed."""


def choose_engine(setting: str, which=shutil.which) -> str:
    """'quarto' or 'pandoc' for a config setting of auto/quarto/pandoc."""
    if setting not in ENGINES:
        raise ValueError(f"report_engine must be one of {', '.join(ENGINES)}, got {setting!r}")
    if setting == "pandoc":
        return "pandoc"
    if which("quarto"):
        return "quarto"
    if setting == "quarto":
        raise RenderError("report_engine is 'quarto' but no `quarto` is on PATH. Install Quarto "
                          "(pip install -r requirements-quarto.txt, or https://quarto.org) or set report_engine: auto.")
    return "pandoc"


def source_date_epoch() -> int:
    return read_source_date_epoch(DEFAULT_SOURCE_DATE_EPOCH)[0]


def pandoc_binary() -> str:
    """The pandoc executable of the pypandoc-binary wheel (falls back to one on PATH)."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        found = shutil.which("pandoc")
        if found:
            return found
        raise RenderError("pandoc not found: install the pinned requirements (pypandoc-binary)") from exc


def engine_versions(engine: str) -> dict[str, str]:
    """Versions of what renders the reports (package versions; quarto's own when it is used, and
    pandoc's, which renders the quality-assurance annexes under either engine)."""
    if engine == "quarto":
        out = subprocess.run(["quarto", "--version"], capture_output=True, text=True)
        return {"quarto": out.stdout.strip() or "unknown", "pypandoc-binary": metadata.version("pypandoc-binary")}
    return {name: metadata.version(name) for name in ("pypandoc-binary", "typst")}


def _run(cmd: list[str], cwd: Path, what: str, stdin: str | None = None) -> str:
    """Run ``cmd`` in ``cwd`` (``stdin``: text fed to it); its standard output."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch())}
    proc = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, encoding="utf-8", errors="replace", env=env)
    if proc.returncode != 0:
        raise RenderError(f"{what} failed (exit {proc.returncode}) on {cwd}:\n{proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


# The .qmd holds no raw HTML or TeX on purpose; reading it with those extensions off means an
# '<img src="/etc/hostname">' that slipped past the escaping (niem/core/safety.py) is text, never
# markup that --embed-resources would act on. Raw attributes stay on: the published-figures annex
# sets one Typst rule with a `...`{=typst} span (workflow/report/sections/published_annex.qmd.j2),
# and free text cannot form one because markdown_text backslash-escapes every backtick and brace.
PANDOC_FROM = "markdown-raw_html-raw_tex"


# Markdown parts rendered by pandoc ahead of Quarto, for raw blocks in its .qmd (niem/reports/assemble.py:
# prerendered_lists says why). One pandoc call per format for all the parts: they are joined by a
# separator paragraph, one plain word found in none of them, and the output is split on that
# paragraph as the writer writes it.
FRAGMENT_WRITERS = {"html": "html5", "typst": "typst"}  # raw format -> pandoc writer
_SEPARATOR_LINE = {"html": "<p>{}</p>", "typst": "{}"}  # a one-word paragraph, as each writer writes it


def separator_word(text: str, stem: str = "NIEMFRAGMENTBREAK") -> str:
    """The first of ``stem``, ``stem1``, ``stem2``, ... that does not occur in ``text``."""
    n = 0
    while (word := stem + (str(n) if n else "")) in text:
        n += 1
    return word


def join_fragments(parts: list[str], word: str) -> str:
    """Markdown ``parts`` as one document, a paragraph of ``word`` between each two."""
    return f"\n\n{word}\n\n".join(parts)


def split_fragments(rendered: str, word: str, fmt: str, count: int) -> list[str]:
    """``rendered`` (a ``join_fragments`` document written as ``fmt``) cut back into its ``count``
    parts; a RenderError unless it holds exactly ``count - 1`` separator paragraphs."""
    line = re.escape(_SEPARATOR_LINE[fmt].format(word))
    parts = re.split(rf"^{line}$", rendered, flags=re.MULTILINE)
    if len(parts) != count:
        raise RenderError(f"pandoc ({fmt} fragments) gave {len(parts)} parts where {count} were sent: a separator "
                          f"paragraph {word!r} was lost or added")
    return [part.strip("\n") for part in parts]


def render_fragments(parts: list[str], fmt: str, cwd: Path) -> list[str]:
    """Each markdown part as ``fmt`` (html or typst) markup, by one pandoc call run in ``cwd``; read
    as the pandoc engine reads a .qmd (``PANDOC_FROM``), so escaped text stays text. No line
    wrapping, as in Quarto's own output."""
    word = separator_word("\n".join(parts))
    cmd = [pandoc_binary(), "--from", PANDOC_FROM, "--to", FRAGMENT_WRITERS[fmt], "--wrap=none"]
    out = _run(cmd, cwd, f"pandoc ({fmt} fragments)", stdin=join_fragments(parts, word))
    return split_fragments(out, word, fmt, len(parts))


def raw_block(text: str, fmt: str) -> str:
    """``text`` as a fenced raw ``fmt`` block, its fence longer than any backtick run in it."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", text)), default=0))
    return f"{fence}{{={fmt}}}\n{text}\n{fence}"


# The PDF's print settings, written beside each .qmd (niem/reports/assemble.py: write_report) and
# included in the Typst document by both engines: by pandoc with these options, by Quarto through
# workflow/report/quarto-options.yml. print.typ (page, running header, page numbers, tables) goes
# before the body; print_title.typ (the PDF's Title field, with the illustrative label) after it,
# because a document set rule there wins over the one the engines' Typst templates set from the
# bare title.
PRINT_FILES = {"print.typ": "--include-in-header", "print_title.typ": "--include-after-body"}


def _filters(lua_filter: str | list[str] | None) -> list[str]:
    names = [lua_filter] if isinstance(lua_filter, str) else list(lua_filter or [])
    return [arg for name in names for arg in ("--lua-filter", name)]


def pandoc_html_command(pandoc: str, qmd: str, html: str, css: str | None,
                        lua_filter: str | list[str] | None = None) -> list[str]:
    cmd = [pandoc, qmd, "--from", PANDOC_FROM, "--to", "html5", "--standalone", "--embed-resources",
           "--toc", "--toc-depth=2", "--resource-path=.", "--output", html]
    return cmd + (["--css", css] if css else []) + _filters(lua_filter)


def pandoc_typst_command(pandoc: str, qmd: str, typ: str, lua_filter: str | list[str] | None = None,
                         print_settings: bool = False) -> list[str]:
    # Sections are level-2 headings (the title is level 1 in HTML); in Typst they become level 1.
    cmd = [pandoc, qmd, "--from", PANDOC_FROM, "--to", "typst", "--standalone", "--toc", "--toc-depth=1",
           "--shift-heading-level-by=-1",
            "--variable", "papersize=a4", "--variable", "fontsize=10pt", "--variable", "section-numbering=1.1",
            "--output", typ]
    includes = [arg for name, option in PRINT_FILES.items() for arg in (option, name)] if print_settings else []
    return cmd + _filters(lua_filter) + includes


def render_pandoc(qmd: Path, html: Path, pdf: Path | None, css: str | None = None,
                  lua_filter: str | list[str] | None = None, print_settings: bool = False) -> None:
    """HTML, and the PDF through Typst unless ``pdf`` is None (an HTML-only report)."""
    import typst

    work, pandoc = qmd.parent, pandoc_binary()
    _run(pandoc_html_command(pandoc, qmd.name, f"{qmd.stem}.html", css, lua_filter), work, "pandoc (HTML)")
    if pdf is None:
        _place(work / f"{qmd.stem}.html", html)
        return
    _run(pandoc_typst_command(pandoc, qmd.name, f"{qmd.stem}.typ", lua_filter, print_settings), work, "pandoc (Typst)")
    try:
        pdf_bytes = typst.compile(str(work / f"{qmd.stem}.typ"), root=str(work), timestamp=source_date_epoch())
    except Exception as exc:  # typst raises its own error types; name the file
        raise RenderError(f"typst failed on {work / (qmd.stem + '.typ')}: {exc}") from exc
    _place(work / f"{qmd.stem}.html", html)
    with atomic_path(pdf) as tmp:
        Path(tmp).write_bytes(pdf_bytes)


# Quarto-only options (workflow/report/quarto-options.yml says what and why), copied into
# a report's work folder and passed as `--metadata-file`, so the templates stay engine-neutral.
QUARTO_DIR = Path(__file__).resolve().parents[2] / "workflow" / "report"
QUARTO_FILES = ("quarto-options.yml",)  # its filter, callout.lua, is in every work folder


def quarto_command(qmd: str, pdf: bool = True) -> list[str]:
    """One `quarto render` for both formats: one Quarto (Deno) start-up per report, not two."""
    return ["quarto", "render", qmd, "--to", "html,typst" if pdf else "html", "--metadata-file", QUARTO_FILES[0],
            "--quiet"]


def render_quarto(qmd: Path, html: Path, pdf: Path | None) -> None:
    work = qmd.parent
    for name in QUARTO_FILES:
        shutil.copyfile(QUARTO_DIR / name, work / name)
    _run(quarto_command(qmd.name, pdf is not None), work, "quarto render (HTML and Typst/PDF)")
    _place(work / f"{qmd.stem}.html", html)
    if pdf is not None:
        _place(work / f"{qmd.stem}.pdf", pdf)


def _place(src: Path, dest: Path) -> None:
    if not src.exists():
        raise RenderError(f"renderer produced no {src.name} in {src.parent}")
    with atomic_path(dest) as tmp:
        shutil.copyfile(src, tmp)


def render(qmd: str | Path, html: str | Path, pdf: str | Path | None, engine: str, css: str | None = None,
           lua_filter: str | list[str] | None = None, print_settings: bool = False) -> None:
    """Render ``qmd`` (in its own work folder) to ``html`` and ``pdf`` (None: HTML only) with
    ``engine``. ``css``, ``lua_filter`` (paths relative to the work folder) and ``print_settings``
    (include the ``PRINT_FILES`` of the work folder in the PDF) are used by the pandoc engine;
    Quarto reads the document's front matter and workflow/report/quarto-options.yml, which names
    the callout filter and includes the ``PRINT_FILES`` in the PDF."""
    qmd, html, pdf = Path(qmd), Path(html), None if pdf is None else Path(pdf)
    if engine == "quarto":
        render_quarto(qmd, html, pdf)
    elif engine == "pandoc":
        render_pandoc(qmd, html, pdf, css, lua_filter, print_settings)
    else:
        raise ValueError(f"unknown engine {engine!r}")


def write_render_info(path: str | Path, engine: str, versions: dict[str, str]) -> None:
    """reports/render_info.json: the engine and its versions (read by the round archives)."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps({"engine": engine, "versions": versions}, indent=2, sort_keys=True) + "\n",
                             encoding="utf-8")
