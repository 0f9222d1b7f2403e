"""Checking a whole import against the database: every problem, and what it would change."""

import dataclasses

from cre_portal.accounts.models import User
from referrals.data_exchange.context import FilePlan, ImportContext
from referrals.data_exchange.reader import ReadResult, Table
from referrals.data_exchange.registry import FileHandler, file_names, handler_for, handlers
from referrals.data_exchange.schema import CHILDREN, NO_COLUMN, Problem
from referrals.data_exchange.validate import check_table


@dataclasses.dataclass
class ImportPlan:
    files: list[tuple[FileHandler, FilePlan]]
    problems: list[Problem]
    ctx: ImportContext

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        """New, changed and unchanged records per file, e.g. {"children.csv": {"new": 3, ...}}."""
        return {plan.file: plan.counts() for _, plan in self.files}


def _usable_tables(read: ReadResult, source: str) -> tuple[dict[str, Table], list[Problem]]:
    """The tables a handler can take, and a problem for each file nobody can."""
    known = file_names()
    tables: dict[str, Table] = {}
    problems = []
    for table in read.tables:
        if table.file not in known:
            message = f"unknown file: the files are {', '.join(known)}"
            problems.append(Problem(table.file, 1, NO_COLUMN, message))
        elif handler_for(table.file) is None:
            what = table.file.removesuffix(".csv")
            problems.append(Problem(table.file, 1, NO_COLUMN, f"{what} can't be imported yet"))
        else:
            tables[table.file] = table
    if not read.tables and not read.problems:
        message = f"holds none of the files {', '.join(known)}"
        problems.append(Problem(source, 1, NO_COLUMN, message))
    return tables, problems


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    order = {name: index for index, name in enumerate(file_names())}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.file, p.line))


def plan_import(
    read: ReadResult, *, source: str, actor: User | None = None, lock: bool = False
) -> ImportPlan:
    """Check every row of every file; `source` names the folder or upload in whole-import problems.

    With `lock`, the existing records read are locked: call it so inside the transaction that
    applies the plan.
    """
    tables, problems = _usable_tables(read, source)
    problems = [*read.problems, *problems]
    ctx = ImportContext(actor=actor, lock=lock)
    ctx.child_refs_readable = not any(p.file == CHILDREN.name for p in read.problems)
    files = []
    for handler in handlers():
        table = tables.get(handler.spec.name)
        if table is not None:
            plan = handler.plan(check_table(table, handler.spec), ctx)
            files.append((handler, plan))
            problems.extend(plan.problems)
    return ImportPlan(files, _in_file_order(problems), ctx)
