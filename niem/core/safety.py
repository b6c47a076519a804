"""Text from outside the code shown safely in reports and spreadsheets: one function per context.

Whatever its origin (raw files: notes, sources, findings, answers; config: country names, round
labels; codebook: area, dimension and step names; the register of published figures), text is
passed through the function of the context it enters:

* ``markdown_text``: markdown body, table cells, list items, figure captions. Every ASCII
  punctuation character is backslash-escaped (pandoc markdown lets any of them be escaped, and
  an escaped one is always literal), so ``<script>``, ``*x*``, ``[a](b)``, ``$x$``, ``@cite``,
  ``{{< include >}}``, ``#`` headings and raw HTML/Typst all show as the text they are.
* ``yaml_string``: YAML front matter (title, subtitle). Pandoc reads front-matter strings as
  markdown, so the value is ``markdown_text`` first (done once, by the caller: report labels are
  escaped in ``niem.reports.content.Labels.for_markdown``) and then quoted here.
* figure labels (matplotlib): ``niem.reports.figures`` turns mathtext off (``text.parse_math``),
  so ``$...$`` in a name is drawn as typed; matplotlib reads no files from text.
* ``csv_safe`` / ``csv_text``: for CSV files opened in spreadsheet programs, where a cell that
  starts with ``=``, ``+``, ``-`` or ``@`` is run as a formula ("CSV injection").

Defence in depth: the pandoc engine reads the .qmd with raw HTML and raw attributes
(``{=html}``, ``{=typst}``) switched off and from the report's own work folder, and Typst
compiles with that folder as its root (``niem.reports.render``), so even unescaped text could not
inline or read a local file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import string

from .csvio import NUMBER

ASCII_PUNCTUATION = frozenset(string.punctuation)
_LINE_BREAK = re.compile(r"\s*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # incl. full-width forms


def markdown_text(text: str | None) -> str:
    """``text`` as literal inline markdown: ASCII punctuation backslash-escaped, line breaks
    (any convention) turned into single spaces so the text stays one inline run (safe in table
    cells and list items), other control characters dropped, outer whitespace stripped.
    None gives ''."""
    if text is None:
        return ""
    text = _CONTROL.sub("", _LINE_BREAK.sub(" ", str(text))).strip()
    return "".join("\\" + ch if ch in ASCII_PUNCTUATION else ch for ch in text)


def yaml_string(markdown: str) -> str:
    """A markdown string (escape free text with ``markdown_text`` first) as a double-quoted YAML
    scalar: a JSON string is a YAML string; characters YAML 1.1 readers take as line breaks are
    written as escapes, so the value stays one scalar."""
    text = json.dumps(str(markdown), ensure_ascii=False)
    return text.replace("\u0085", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def csv_safe(value):
    """A text value that a spreadsheet would read as a formula, prefixed with ``'``; plain
    numbers (also as text, e.g. an answer '-5') and non-text values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(columns: list[str], rows: list[dict]) -> str:
    """CSV for people: UTF-8 with a byte-order mark (so spreadsheet programs pick the encoding),
    a header line, every text value passed through ``csv_safe``, null as an empty cell."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else csv_safe(row[c]) for c in columns])
    return buf.getvalue()
