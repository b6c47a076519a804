"""Strict CSV reading for raw files: UTF-8 (with or without BOM), exact header, line numbers kept.

Leading lines starting with '#' are comments (used to label illustrative files); they are kept
and counted, so reported line numbers are the ones an editor shows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

BOM = b"\xef\xbb\xbf"


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
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(file, 1, None, "file is UTF-16 encoded; expected UTF-8 (with or without BOM)")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); expected UTF-8 (with or without BOM), e.g. re-save from a spreadsheet as 'CSV UTF-8'")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(file, line, None, "contains NUL bytes; this is not a text CSV file")]
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
    lines = text.splitlines(keepends=True)
    comments = []
    while len(comments) < len(lines) and lines[len(comments)].startswith("#"):
        comments.append(lines[len(comments)].rstrip("\r\n"))
    offset = len(comments)
    reader = csv.reader(io.StringIO("".join(lines[offset:]), newline=""), strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    header_line = None
    consumed = 0
    try:
        for record in reader:
            start = offset + consumed + 1
            consumed = reader.line_num
            if not record or all(not f.strip() for f in record):
                continue
            if header is None:
                header, header_line = [h.strip() for h in record], start
                problems += _header_problems(header, columns, file, start)
                if problems:
                    return CsvContent(tuple(comments), ()), problems
                continue
            if len(record) != len(header):
                problems.append(Problem(file, start, None, f"expected {len(header)} fields ({', '.join(header)}), found {len(record)}"))
                continue
            rows.append(Row(start, dict(zip(header, record))))
    except csv.Error as exc:
        problems.append(Problem(file, offset + reader.line_num, None, f"malformed CSV: {exc}"))
    if header is None and not problems:
        problems.append(Problem(file, None, None, f"empty file; expected a header line with the columns {', '.join(columns)}"))
    return CsvContent(tuple(comments), tuple(rows)), problems


def _header_problems(header: list[str], columns: list[str], file: str, line: int) -> list[Problem]:
    problems = []
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(Problem(file, line, None, f"duplicate column(s) in header: {', '.join(dupes)}"))
    missing = [c for c in columns if c not in header]
    extra = [h for h in header if h not in columns]
    for name in missing:
        problems.append(Problem(file, line, name, f"missing column '{name}'; expected columns: {', '.join(columns)}"))
    for name in extra:
        problems.append(Problem(file, line, name or "(empty)", f"unexpected column '{name}'; expected columns: {', '.join(columns)}"))
    return problems
