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
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot be read ({exc.strerror})") from None
    if path.suffix.lower() == ".xls":
        raise UnreadableFile(
            f"{path}: old .xls workbooks are not supported; save it as .xlsx or CSV"
        )
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(f"{path}: is an XLSX workbook with another name; name it .xlsx")
    return _read_csv(path, data)


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Excel's "Unicode Text"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows writes Windows-1252 (a pound sign is 0xA3). A file pieced
        # together from both keeps each line's own encoding.
        return "".join(_decode_line(line) for line in data.splitlines(keepends=True))


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, data: bytes) -> Table:
    text = decode(data)
    if not text.strip():
        raise UnreadableFile(f"{path}: the file is empty")
    # Guess the separator from the header alone: data cells may hold commas or semicolons.
    delimiter = _delimiter(text.lstrip().split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        rows = [
            (number, row)
            for number, row in enumerate(reader, start=2)
            if row and (row[0].strip() or "".join(row).strip())
        ]
    except csv.Error as exc:
        raise UnreadableFile(
            f"{path}: line {reader.line_num}: {exc} (a quote opened and never closed?)"
        ) from None
    return Table(header=header, rows=rows)


def _cell_text(value: object, number_format: str = "General") -> str:
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
    if isinstance(value, int | float) and "%" in number_format:
        # A cell showing 61.5% holds 0.615.
        return f"{round(value * 100, 9):g}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    if not path.is_file():
        raise FileNotFoundError(path) if not path.exists() else IsADirectoryError(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(
            f"{path}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows()
        header_cells = next(rows_iter, None)
        if header_cells is None:
            raise UnreadableFile(f"{path}: the first sheet is empty")
        header = [_cell_text(c.value) for c in header_cells]
        while header and not header[-1].strip():
            header.pop()
        rows = []
        for number, cells in enumerate(rows_iter, start=2):
            row = [
                _cell_text(c.value, getattr(c, "number_format", "General") or "General")
                for c in cells
            ]
            while len(row) > len(header) and not row[-1].strip():
                row.pop()
            if any(cell.strip() for cell in row):
                rows.append((number, row))
    finally:
        workbook.close()
    return Table(header=header, rows=rows)
