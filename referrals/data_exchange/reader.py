"""Reading the files of an import: a folder of CSV files, an .xlsx workbook, or a .zip of CSVs.

Every file comes out as a `Table` named like the CSV file (a sheet `children` is read as
`children.csv`), with the physical line (or sheet row) of each row, so every problem can be
reported as `file:line: column: message` whatever the container. Rows with no value at all are
skipped (spreadsheets leave them behind).

Uploads are untrusted: zip and xlsx containers (an xlsx is a zip) are refused when they hold too
many members or would unpack to too much, before anything is decompressed. Members are read in
memory and never written to disk, so their paths cannot escape anywhere; names with `..` or an
absolute path are refused all the same.
"""

import csv
import dataclasses
import datetime
import io
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from referrals.data_exchange.schema import NO_COLUMN, Problem

MAX_MEMBERS = 100
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
CSV_SUFFIX = ".csv"
MIDNIGHT = datetime.time(0, 0)


@dataclasses.dataclass(frozen=True)
class Table:
    file: str
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line, stripped cells)


@dataclasses.dataclass
class ReadResult:
    tables: list[Table] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)

    def extend(self, other: "ReadResult") -> None:
        self.tables.extend(other.tables)
        self.problems.extend(other.problems)


def _whole_file_problem(file: str, message: str, line: int = 1) -> ReadResult:
    return ReadResult(problems=[Problem(file, line, NO_COLUMN, message)])


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _table(file: str, numbered_rows: list[tuple[int, list[str]]]) -> ReadResult:
    # A spreadsheet row stops at its last value, a CSV row at the last comma: the same to us.
    rows = [(line, _without_trailing_blanks(cells)) for line, cells in numbered_rows if any(cells)]
    if not rows:
        return _whole_file_problem(file, "is empty: the first line must name the columns")
    (header_line, header), *body = rows
    return ReadResult(tables=[Table(file, header_line, header, body)])


# --- CSV ----------------------------------------------------------------------------------------
def read_csv(file: str, data: bytes) -> ReadResult:
    """One CSV file: UTF-8 (with or without the byte order mark Excel writes), comma separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _whole_file_problem(file, "is not UTF-8 text: save it as CSV UTF-8", line)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _whole_file_problem(file, "holds a NUL character: is it really a CSV file?", line)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, [cell.strip() for cell in cells]))
            start = reader.line_num + 1
    except csv.Error as error:
        return _whole_file_problem(file, f"is not valid CSV: {error}", start)
    return _table(file, rows)


def read_folder(path: Path) -> ReadResult:
    """Every `.csv` file in the folder; other files (notes, hidden files) are left alone."""
    result = ReadResult()
    for file in sorted(path.iterdir()):
        if file.is_file() and file.suffix == CSV_SUFFIX and not file.name.startswith("."):
            result.extend(read_csv(file.name, file.read_bytes()))
    return result


# --- Zip containers -----------------------------------------------------------------------------
def _open_zip(name: str, data: bytes) -> tuple[zipfile.ZipFile | None, ReadResult]:
    """The archive, or why it cannot be opened safely."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None, _whole_file_problem(name, "is not a valid ZIP or XLSX file")
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return None, _whole_file_problem(name, f"holds more than {MAX_MEMBERS} files")
    # zipfile stops each member at its declared size, so the declared total bounds the memory.
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        limit = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
        return None, _whole_file_problem(name, f"would unpack to more than {limit} MB")
    return archive, ReadResult()


def _member_path(member: zipfile.ZipInfo) -> PurePosixPath:
    return PurePosixPath(member.filename.replace("\\", "/"))


def _is_unsafe(path: PurePosixPath) -> bool:
    return path.is_absolute() or ".." in path.parts


def _is_ignored(member: zipfile.ZipInfo, path: PurePosixPath) -> bool:
    hidden = any(part.startswith(".") or part == "__MACOSX" for part in path.parts)
    return member.is_dir() or hidden or path.suffix != CSV_SUFFIX


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, file: str) -> ReadResult:
    try:
        data = archive.read(member)
    except (RuntimeError, zipfile.BadZipFile, NotImplementedError):
        # RuntimeError: encrypted; NotImplementedError: an unsupported compression method.
        return _whole_file_problem(file, "cannot be read from the ZIP file")
    return read_csv(file, data)


def read_zip(name: str, data: bytes) -> ReadResult:
    """The CSV files of a ZIP archive, wherever they sit in it (zipping a folder nests them)."""
    archive, result = _open_zip(name, data)
    if archive is None:
        return result
    seen: set[str] = set()
    with archive:
        for member in archive.infolist():
            path = _member_path(member)
            if _is_unsafe(path):
                message = f"holds a file with an unsafe path: {path.name}"
                result.problems.append(Problem(name, 1, NO_COLUMN, message))
            elif _is_ignored(member, path):
                continue
            elif path.name in seen:
                message = "appears more than once in the ZIP file"
                result.problems.append(Problem(path.name, 1, NO_COLUMN, message))
            else:
                seen.add(path.name)
                result.extend(_read_member(archive, member, path.name))
    return result


# --- Workbooks ----------------------------------------------------------------------------------
def _cell_text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A date typed into Excel arrives as midnight; its format shows it holds no time.
        is_date_only = value.time() == MIDNIGHT and "h" not in str(cell.number_format).lower()
        return value.date().isoformat() if is_date_only else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(name: str, data: bytes) -> ReadResult:
    """Each worksheet as the CSV file of the same name; empty sheets are left out."""
    archive, result = _open_zip(name, data)
    if archive is None:
        return result
    archive.close()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return _whole_file_problem(name, "is not a valid XLSX workbook")
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some writers record wrong dimensions; read every row
            rows = [
                (line, [_cell_text(cell) for cell in cells])
                for line, cells in enumerate(sheet.iter_rows(min_row=1), start=1)
            ]
            if any(any(cells) for _, cells in rows):
                result.extend(_table(f"{sheet.title}{CSV_SUFFIX}", rows))
    finally:
        workbook.close()
    return result


# --- Entry points -------------------------------------------------------------------------------
def read_path(path: Path) -> ReadResult:
    """What `import_cases PATH` reads: a folder of CSV files or one .xlsx workbook."""
    if path.is_dir():
        return read_folder(path)
    return read_workbook(path.name, path.read_bytes())


def read_upload(name: str, data: bytes) -> ReadResult:
    """What an administrator uploads: an .xlsx workbook or a .zip of CSV files."""
    if name.lower().endswith(".xlsx"):
        return read_workbook(name, data)
    return read_zip(name, data)
