"""What the questionnaire and clarification workbooks share: column layout, styles, deterministic
bytes, and the structure checks of a returned workbook (each problem names sheet, row and column)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.csvio import NUMBER

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
PREVIOUS_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
# The metadata block at the top of each data sheet: label in column A, value in column B.
META_ROWS = {"country": 2, "round": 3}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    input: bool = False


@dataclass(frozen=True, order=True)
class CellProblem:
    sheet: str
    row: int | None
    column: str | None  # "F (answer)"
    message: str

    def format(self) -> str:
        where = [f"sheet '{self.sheet}'"] if self.sheet else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where) or 'workbook'}: {self.message}"


class WorkbookError(Exception):
    """Problems in a returned workbook: one message listing each with sheet, row and column."""

    def __init__(self, file: str, problems: list[CellProblem]):
        if not problems:
            raise ValueError("WorkbookError needs at least one problem")
        self.file = file
        self.problems = sorted(problems, key=lambda p: (p.sheet, p.row or 0, p.column or "", p.message))
        super().__init__(self.format())

    def format(self) -> str:
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [f"Invalid workbook {self.file} ({len(self.problems)} {noun}):"]
        return "\n".join(lines + [f"  {p.format()}" for p in self.problems])


def column_label(columns: list[Column], key: str) -> str:
    i = [c.key for c in columns].index(key)
    return f"{get_column_letter(i + 1)} ({columns[i].header})"


def write_header(ws, row: int, columns: list[Column]) -> None:
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=i, value=col.header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(i)].width = col.width


def write_meta(ws, title: str, meta: dict[str, str]) -> None:
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    for key, row in META_ROWS.items():
        ws.cell(row=row, column=1, value=key.capitalize()).font = HEADER_FONT
        ws.cell(row=row, column=2, value=meta[key])


def fit_row_height(ws, row: int, columns: list[Column]) -> None:
    """Row height for the wrapped text of the row (spreadsheet programs do not grow rows written by
    openpyxl by themselves): about one line per column width of characters, 15 points a line."""
    lines = 1
    for i, col in enumerate(columns, start=1):
        value = ws.cell(row=row, column=i).value
        if isinstance(value, str):
            lines = max(lines, sum(-(-max(len(part), 1) // max(col.width - 2, 1)) for part in value.split("\n")))
    ws.row_dimensions[row].height = 15 * min(lines, 12)


def print_setup(ws, header_row: int) -> None:
    """Printed or saved as PDF: landscape, all columns on one page width, header repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{header_row}:{header_row}"


def protect(ws) -> None:
    """Sheet protection without a password: structure cells locked, input cells (unlocked by the
    caller) editable; columns may still be resized and rows filtered."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def list_validation(options: list[str], prompt: str) -> DataValidation:
    """Drop-down of ``options`` (an inline list: Excel allows 255 characters)."""
    formula = '"' + ",".join(options) + '"'
    if len(formula) > 257 or any("," in o or '"' in o for o in options):
        raise ValueError(f"options do not fit an inline drop-down list: {options}")
    return DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                          showErrorMessage=True, errorTitle="Not an answer option",
                          error="Choose one of the options of the list.", promptTitle="Answer", prompt=prompt[:255])


def deterministic_bytes(wb, when: dt.datetime) -> bytes:
    """The workbook's .xlsx bytes with every timestamp (document properties, zip entries) set to
    ``when``, so the same inputs give byte-identical workbooks."""
    wb.properties.created = wb.properties.modified = when
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' with the time of saving
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp.encode() + rb"\2", data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def epoch_datetime(seconds: int) -> dt.datetime:
    # zip timestamps cannot be before 1980
    return max(dt.datetime.fromtimestamp(seconds, dt.timezone.utc), dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))


def open_workbook(path: str | Path, file: str):
    """(workbook with formulas kept as formulas, problems)."""
    try:
        return load_workbook(path, data_only=False), []
    except FileNotFoundError:
        return None, [CellProblem("", None, None, "file not found")]
    except Exception as exc:  # zip, XML or format errors: not a workbook openpyxl can read
        return None, [CellProblem("", None, None, f"not an .xlsx workbook that can be read ({type(exc).__name__}: {exc}); "
                                  "save it from your spreadsheet program as 'Excel 2007-365 (.xlsx)'")]


def sheet_problems(wb, expected: list[str]) -> list[CellProblem]:
    problems = []
    extra = [n for n in wb.sheetnames if n not in expected]
    for name in expected:
        if name not in wb.sheetnames:
            found = f"; found instead: {', '.join(repr(n) for n in extra)}" if extra else ""
            problems.append(CellProblem(name, None, None, f"sheet '{name}' is missing (it was renamed or deleted){found}; "
                                        f"expected the sheets {', '.join(expected)}"))
    if problems:
        return problems
    for name in wb.sheetnames:
        if name not in expected:
            problems.append(CellProblem(name, None, None, f"unexpected sheet '{name}'; the workbook must hold only the sheets "
                                        f"{', '.join(expected)} (copy answers into the '{expected[0]}' sheet instead)"))
    return problems


def layout_problems(ws, header_row: int, columns: list[Column]) -> list[CellProblem]:
    """Merged cells and moved, renamed or added columns of a data sheet."""
    problems = [CellProblem(ws.title, rng.min_row, get_column_letter(rng.min_col),
                            f"merged cells {rng.coord}; unmerge them (each answer needs its own cell)")
                for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))]
    headers = [c.header for c in columns]
    for i in range(1, max(ws.max_column, len(columns)) + 1):
        found = ws.cell(row=header_row, column=i).value
        letter = get_column_letter(i)
        if i > len(columns):
            if found not in (None, ""):
                problems.append(CellProblem(ws.title, header_row, letter, f"unexpected column '{found}'; expected the columns "
                                            f"{', '.join(headers)} (do not add, move or rename columns)"))
            continue
        if str(found or "").strip() != columns[i - 1].header:
            where = f" ('{found}' is expected in column {get_column_letter(headers.index(found) + 1)})" if found in headers else ""
            problems.append(CellProblem(ws.title, header_row, f"{letter} ({columns[i - 1].header})",
                                        f"column header is '{found or ''}', expected '{columns[i - 1].header}'{where}; "
                                        "do not move, rename or delete columns"))
    return problems


def number_text(value: float | int) -> str:
    """A number as an evidence file writes it: integers without '.0', others in the shortest form."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    return text if NUMBER.fullmatch(text) else format(float(value), "f")


def cell_text(cell, sheet: str, column: str, numeric: bool = False) -> tuple[str, CellProblem | None]:
    """The text of a returned cell, or a problem for a formula, a date or a true/false value."""
    value = cell.value
    if value is None:
        return "", None
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")) or type(value).__name__ == "ArrayFormula":
        return "", CellProblem(sheet, cell.row, column, f"a formula ({value if isinstance(value, str) else 'array formula'}) "
                               "instead of a value; type the value itself")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        what = "a number" if numeric else "text"
        return "", CellProblem(sheet, cell.row, column, f"a date ({value}) where {what} belongs; the spreadsheet program "
                               "probably turned what you typed into a date: format the cell as text or number and retype it")
    if isinstance(value, bool):
        return "", CellProblem(sheet, cell.row, column, f"a true/false value ({value}); type the answer as text")
    if isinstance(value, (int, float)):
        return number_text(value), None
    return str(value).strip(), None
