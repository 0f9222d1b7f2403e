"""Writing every record back in the import format: a folder of CSV files or one .xlsx workbook.

Only the documented columns are written, rows in reference order, date-times with their
Europe/London offset, so exporting, importing into an empty database and exporting again gives
identical files. The CSV files are plain UTF-8 without a byte order mark, for other systems; in
the workbook every value is stored as text, so a cell beginning with `=` is never run as a
formula when someone opens it in Excel (the CSV files carry no such protection: open them with
a text editor or import them, or use the workbook).
"""

import csv
import dataclasses
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from referrals.data_exchange.registry import handlers

XLSX_SUFFIX = ".xlsx"


@dataclasses.dataclass(frozen=True)
class ExportTable:
    file: str
    header: list[str]
    rows: list[list[str]]


def export_tables() -> list[ExportTable]:
    """Every file with a handler (assessments.csv only once its app registers one)."""
    return [
        ExportTable(handler.spec.name, list(handler.spec.column_names), list(handler.export_rows()))
        for handler in handlers()
    ]


def write_folder(folder: Path, tables: list[ExportTable]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table in tables:
        with (folder / table.file).open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(table.header)
            writer.writerows(table.rows)


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> Cell | None:
    if value == "":
        return None
    # Characters XML cannot hold (control characters) would make the workbook unreadable.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # text, even when it starts with "=" or looks like a number
    return cell


def write_workbook(path: Path, tables: list[ExportTable]) -> None:
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.file.removesuffix(".csv"))
        sheet.append(table.header)
        for row in table.rows:
            sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(path)


def export_cases(path: Path) -> list[ExportTable]:
    """Write the export to `path`: a workbook when it ends with .xlsx, otherwise a folder."""
    tables = export_tables()
    if path.suffix.lower() == XLSX_SUFFIX:
        write_workbook(path, tables)
    else:
        write_folder(path, tables)
    return tables
