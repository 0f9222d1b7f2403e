"""The shape every file handler shares: match rows on their reference, check, diff, apply, export.

A row is compared with the record of the same reference in the column terms of the format
("current values"). Columns the file leaves out keep the record's current value; a new record
gets the column's empty value for them. Only records whose values differ are saved, so importing
the same files again writes nothing at all, not even history rows.
"""

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Generic, TypeVar

from django.db import models

from referrals.data_exchange.context import FilePlan, ImportContext
from referrals.data_exchange.schema import FileSpec, Problem, normalise_newlines
from referrals.data_exchange.validate import CheckedTable, Row

RecordT = TypeVar("RecordT")
BATCH_SIZE = 1000


class RecordFile(Generic[RecordT]):
    """A file whose rows are records of one model, matched on the file's reference column."""

    spec: ClassVar[FileSpec]
    model: ClassVar[type[models.Model]]

    # --- Hooks for each file --------------------------------------------------------------------
    def existing(self, refs: set[str], ctx: ImportContext) -> dict[str, RecordT]:
        """The records already in the database for these references, in one query."""
        raise NotImplementedError

    def current(self, record: RecordT) -> dict[str, Any]:
        """The record's values in the terms of the file's columns."""
        raise NotImplementedError

    def rules(self, row: Row, values: dict[str, Any], ctx: ImportContext) -> list[Problem]:
        """Rules joining columns or files, over the values the record would have."""
        raise NotImplementedError

    def build(self, values: dict[str, Any], ctx: ImportContext) -> Any:
        """What `apply` needs to create the record (called only for rows without problems)."""
        raise NotImplementedError

    def apply(self, plan: FilePlan, ctx: ImportContext) -> None:
        raise NotImplementedError

    def all_records(self) -> Iterable[RecordT]:
        """Every record, for the export."""
        raise NotImplementedError

    # --- Shared behaviour ------------------------------------------------------------------------
    def plan(self, table: CheckedTable, ctx: ImportContext) -> FilePlan:
        """Check every row against the database and sort the rows into new, changed, unchanged."""
        plan = FilePlan(self.spec.name, problems=list(table.problems))
        records = self.existing(table.refs, ctx)
        for row in table.rows:
            ref = row.values.get(self.spec.ref_column)
            record = records.get(ref) if ref is not None else None
            current = self.comparable(record) if record is not None else None
            values = self.merge(row, table, current)
            problems = self.rules(row, values, ctx)
            plan.problems.extend(problems)
            if problems or not row.ok:
                continue
            if record is None or current is None:
                plan.new.append(self.build(values, ctx))
                continue
            changes = {name: value for name, value in values.items() if current[name] != value}
            if changes:
                plan.changed.append((record, changes))
            else:
                plan.unchanged += 1
        return plan

    def comparable(self, record: RecordT) -> dict[str, Any]:
        """The current values as a file holds them once read (stripped, line breaks as \\n),
        so a record typed in the browser is not seen as changed by its own export."""
        return {name: _as_read(value) for name, value in self.current(record).items()}

    def merge(
        self, row: Row, table: CheckedTable, current: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The row's values, plus the current (or empty) values of the columns left out."""
        left_out = [column for column in self.spec.columns if column.name not in table.columns]
        kept = {c.name: current[c.name] if current else c.empty for c in left_out}
        return {**kept, **row.values}

    def export_rows(self) -> Iterator[list[str]]:
        """Every record as cells, in reference order, so exports of the same data are equal."""
        rows = []
        for record in self.all_records():
            values = self.comparable(record)
            rows.append([column.format(values[column.name]) for column in self.spec.columns])
        yield from sorted(rows, key=lambda cells: cells[0])


def _as_read(value: Any) -> Any:
    return normalise_newlines(value).strip() if isinstance(value, str) else value


def lock_if(queryset: models.QuerySet, ctx: ImportContext) -> models.QuerySet:
    """Lock the rows read when the plan is about to be applied (not for a preview)."""
    return queryset.select_for_update(of=("self",)) if ctx.lock else queryset


def save_changes(record: models.Model, changes: dict[str, Any]) -> None:
    """Save only the changed fields and bump the version, so open edit forms see a stale copy."""
    for name, value in changes.items():
        setattr(record, name, value)
    record.version += 1  # type: ignore[attr-defined]
    record.save(update_fields=[*changes, "version", "updated_at"])


def child_refs(table: CheckedTable) -> Iterator[str]:
    """The children the rows refer to, for `ImportContext.find_children`."""
    return (row.values["child_ref"] for row in table.rows if "child_ref" in row.values)


def has(values: dict[str, Any], *names: str) -> bool:
    """Every named value could be read, so a rule over them can be checked."""
    return all(name in values for name in names)
