"""Checks that need one file only: its header, each cell against its column, repeated references.

Rules that join files or compare with the database (a `child_ref` that must exist, a record
already there) belong to each file's handler (see `files/`), which gets the rows read here.
"""

import dataclasses
from typing import Any

from referrals.data_exchange.reader import Table
from referrals.data_exchange.schema import NO_COLUMN, CellError, FileSpec, Problem


@dataclasses.dataclass(frozen=True)
class Row:
    file: str
    line: int
    # Values of the file's columns, read; a column whose cell has a problem is left out.
    values: dict[str, Any]
    # Every cell could be read (the row may still break a rule that joins cells or files).
    ok: bool

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.file, self.line, column, message)


@dataclasses.dataclass
class CheckedTable:
    spec: FileSpec
    columns: frozenset[str]  # the documented columns this file has
    rows: list[Row]
    refs: set[str]  # every reference in the file, even on rows with problems
    problems: list[Problem]


def _check_header(table: Table, spec: FileSpec) -> tuple[dict[str, int], list[Problem]]:
    """Where each documented column is, and what is wrong with the header."""

    def problem(column: str, message: str) -> Problem:
        return Problem(table.file, table.header_line, column, message)

    positions: dict[str, int] = {}
    problems = []
    for index, name in enumerate(table.header):
        if name == "":
            if any(index < len(cells) and cells[index] for _, cells in table.rows):
                problems.append(problem(NO_COLUMN, f"column {index + 1} has values but no name"))
        elif name not in spec.column_names:
            problems.append(problem(name, "unknown column"))
        elif name in positions:
            problems.append(problem(name, "column appears more than once"))
        else:
            positions[name] = index
    for column in spec.columns:
        if column.required and column.name not in positions:
            problems.append(problem(column.name, "required column is missing"))
    return positions, problems


def _read_row(
    file: str, line: int, cells: list[str], spec: FileSpec, positions: dict[str, int]
) -> tuple[Row, list[Problem]]:
    values: dict[str, Any] = {}
    problems = []
    for name, index in positions.items():
        column = spec.column(name)
        cell = cells[index] if index < len(cells) else ""
        if cell == "" and column.required:
            problems.append(Problem(file, line, name, "a value is required"))
        elif cell == "":
            values[name] = column.empty
        else:
            try:
                values[name] = column.parse(cell)
            except CellError as error:
                problems.append(Problem(file, line, name, str(error)))
    return Row(file, line, values, ok=not problems), problems


def _repeated_refs(rows: list[Row], ref_column: str) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems = []
    for row in rows:
        ref = row.values.get(ref_column)
        if ref is None:
            continue
        if ref in first_line:
            message = f"{ref} is on line {first_line[ref]} and again on line {row.line}"
            problems.append(row.problem(ref_column, message))
        else:
            first_line[ref] = row.line
    return problems


def check_table(table: Table, spec: FileSpec) -> CheckedTable:
    """Read every row of the file, collecting every problem rather than stopping at the first."""
    positions, problems = _check_header(table, spec)
    width = len(table.header)
    rows = []
    refs = set()
    for line, cells in table.rows:
        if spec.ref_column in positions and positions[spec.ref_column] < len(cells):
            refs.add(cells[positions[spec.ref_column]])
        if any(cells[width:]):
            problems.append(Problem(table.file, line, NO_COLUMN, "more values than columns"))
            continue
        row, row_problems = _read_row(table.file, line, cells, spec, positions)
        rows.append(row)
        problems.extend(row_problems)
    problems.extend(_repeated_refs(rows, spec.ref_column))
    refs.discard("")
    return CheckedTable(spec, frozenset(positions), rows, refs, problems)
