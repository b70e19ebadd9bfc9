"""Reading an import file, CSV or XLSX, into a header and rows of text.

CSV files arrive as councils save them: UTF-8 with or without a byte-order mark, or
Windows-1252 from Excel. XLSX cells are turned into the text a person sees, so a date cell
and a date typed as text are read the same way.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


class UnreadableFile(ValueError):
    pass


@dataclass
class Table:
    header: list[str]
    # Each row keeps its number as a spreadsheet shows it (the header is row 1), so
    # problems can name it.
    rows: list[tuple[int, list[str]]]


def read_table(path: Path) -> Table:
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise UnreadableFile(
            f"{path}: old .xls workbooks are not supported; save it as .xlsx or CSV"
        )
    return _read_csv(path)


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows writes Windows-1252 (a pound sign is 0xA3).
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path) -> Table:
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile(f"{path}: the file is empty")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") and "\t" not in sample else ","
    if sample.count("\t") > sample.count(delimiter):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows = [
            (number, row)
            for number, row in enumerate(reader, start=2)
            if row and (row[0].strip() or "".join(row).strip())
        ]
    except csv.Error as exc:
        raise UnreadableFile(f"{path}: line {reader.line_num}: {exc}") from None
    return Table(header=header, rows=rows)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(
            f"{path}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header_cells = next(rows_iter, None)
        if header_cells is None:
            raise UnreadableFile(f"{path}: the first sheet is empty")
        header = [_cell_text(v) for v in header_cells]
        while header and not header[-1].strip():
            header.pop()
        rows = []
        for number, cells in enumerate(rows_iter, start=2):
            row = [_cell_text(v) for v in cells[: len(header)]]
            if any(cell.strip() for cell in row):
                rows.append((number, row))
    finally:
        workbook.close()
    return Table(header=header, rows=rows)
