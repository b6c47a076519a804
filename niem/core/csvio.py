"""Strict CSV reading for raw files: UTF-8 (with or without BOM), exact header, line numbers kept.

Leading lines starting with '#' are comments (used to label illustrative files); they are kept
and counted, so reported line numbers are the ones an editor shows.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

BOM = b"\xef\xbb\xbf"
# A plain decimal number as raw files write it (also read by the spreadsheet escaping in safety.py).
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_number(text: str) -> float | None:
    """A plain decimal number (ASCII digits, '.' as separator, no exponent, no thousands
    separator); None if the text is not one, so 'nan', 'inf', '1e3', '1_000' are refused, and
    None for a decimal too large for a float (e.g. 400 digits, which float() turns into inf)."""
    if not NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def too_large(text: str) -> bool:
    """A plain decimal that float() can only read as infinity."""
    return NUMBER.fullmatch(text) is not None and not math.isfinite(float(text))


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class CsvContent:
    comments: tuple[str, ...]
    rows: tuple[Row, ...]


def _decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    if data.startswith(BOM):
        data = data[len(BOM):]
        if data.startswith(BOM):  # invisible, and would otherwise be read as part of the first column name
            return None, [Problem(file, 1, None, "the file starts with two byte-order marks (BOM, the invisible "
                                  "character U+FEFF); expected at most one: save it again as 'CSV UTF-8' or delete "
                                  "the invisible character before the first column name")]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(file, 1, None, "file is UTF-16 encoded; expected UTF-8 (with or without BOM)")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); expected UTF-8 (with or without BOM), e.g. re-save from a spreadsheet as 'CSV UTF-8'")]
    if "\x00" in text:
        if text.count("\x00") * 3 >= len(text):  # every other byte NUL: UTF-16 saved without a BOM
            return None, [Problem(file, 1, None, "file looks UTF-16 encoded (without BOM); expected UTF-8 (with or without BOM)")]
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(file, line, None, "contains NUL bytes; expected a UTF-8 text CSV file")]
    return text, []


def read_csv(path: str | Path, columns: list[str], display: str | None = None) -> tuple[CsvContent, list[Problem]]:
    """Read a CSV whose header must hold exactly ``columns`` (any order)."""
    file = display or str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return CsvContent((), ()), [Problem(file, None, None, "file not found")]
    except OSError as exc:
        return CsvContent((), ()), [Problem(file, None, None, f"cannot read file: {exc.strerror}")]
    text, problems = _decode(data, file)
    if text is None:
        return CsvContent((), ()), problems
    lines = io.StringIO(text, newline="").readlines()  # split on \n, \r\n and \r, as the csv module does
    comments = []
    while len(comments) < len(lines) and lines[len(comments)].startswith("#"):
        comments.append(lines[len(comments)].rstrip("\r\n"))
    offset = len(comments)
    reader = csv.reader(io.StringIO("".join(lines[offset:]), newline=""), strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    while True:
        start = offset + reader.line_num + 1  # line on which the next record starts
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                what = (f"a field starting on this line is longer than {csv.field_size_limit():,} characters, the "
                        "most a field may hold; shorten it (e.g. move long text to a separate document and cite it)")
            else:
                what = (f"a quoted field opened on this line is never closed ({exc})" if "end of data" in str(exc)
                        else f"malformed CSV: {exc}") + "; put a field containing commas, quotes or line breaks in double quotes and double any quote inside it"
            problems.append(Problem(file, start, None, what))
            break
        if not record or all(not f.strip() for f in record):
            continue
        if header is None:
            header = [h.strip() for h in record]
            problems += _header_problems(header, columns, file, start)
            if problems:
                return CsvContent(tuple(comments), ()), problems
            continue
        if len(record) != len(header):
            hint = "; put a value containing a comma in double quotes" if len(record) > len(header) else ""
            problems.append(Problem(file, start, None, f"expected {len(header)} fields ({', '.join(header)}), found {len(record)}{hint}"))
            continue
        rows.append(Row(start, dict(zip(header, record))))
    if header is None and not problems:
        problems.append(Problem(file, None, None, f"empty file; expected a header line with the columns {', '.join(columns)}"))
    return CsvContent(tuple(comments), tuple(rows)), problems


def _header_problems(header: list[str], columns: list[str], file: str, line: int) -> list[Problem]:
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if len(header) == 1 and sep in header[0]:  # e.g. a spreadsheet saved with a European list separator
            return [Problem(file, line, None, f"the columns are separated by {name}; expected commas: {','.join(columns)}")]
    problems = []
    for name in sorted({h for h in header if header.count(h) > 1}):
        problems.append(Problem(file, line, name, f"duplicate column '{name}'; expected each of the columns {', '.join(columns)} once"))
    missing = [c for c in columns if c not in header]
    extra = list(dict.fromkeys(h for h in header if h not in columns))
    for name in missing:
        problems.append(Problem(file, line, name, f"missing column '{name}'; expected columns: {', '.join(columns)}"))
    for name in extra:
        problems.append(Problem(file, line, name or "(empty)", f"unexpected column '{name}'; expected columns: {', '.join(columns)}"))
    return problems
