"""Which handler reads, applies and exports each file of the data exchange format.

referrals handles children.csv, referrals.csv and missing_episodes.csv itself. Files about
records owned downstream (assessments.csv belongs to `risk_assessment`, which referrals must not
import) are handled by a handler the downstream app registers when it is ready::

    class RiskAssessmentConfig(AppConfig):
        def ready(self):
            from referrals.data_exchange.registry import register_file
            register_file("assessments.csv", AssessmentsFile())

A handler provides what `files.base.RecordFile` provides (and may subclass it): `spec` (a
`schema.FileSpec`; `schema.ASSESSMENTS` is the documented one), `plan(table, ctx)` returning a
`context.FilePlan` with every problem and what would be new or changed, `apply(plan, ctx)`
writing it (inside the import's transaction; check `child_ref` with `ctx.child_problem`, get
ids from `ctx.child_ids` after `ctx.find_children`), and `export_rows()` yielding each record's
cells in column order. Files are applied in the documented order (children first), then any
other registered files in the order they were registered.

A documented file without a handler (assessments.csv when `risk_assessment` has not registered
its own) is refused with `assessments.csv:1: -: assessments can't be imported yet`, and the
export leaves it out.
"""

from collections.abc import Iterable, Iterator
from typing import Protocol

from referrals.data_exchange.context import FilePlan, ImportContext
from referrals.data_exchange.files.children import ChildrenFile
from referrals.data_exchange.files.missing import MissingEpisodesFile
from referrals.data_exchange.files.referrals import ReferralsFile
from referrals.data_exchange.schema import DOCUMENTED_FILES, FileSpec
from referrals.data_exchange.validate import CheckedTable


class FileHandler(Protocol):
    @property
    def spec(self) -> FileSpec: ...

    def plan(self, table: CheckedTable, ctx: ImportContext) -> FilePlan: ...

    def apply(self, plan: FilePlan, ctx: ImportContext) -> None: ...

    def export_rows(self) -> Iterator[list[str]]: ...


BUILT_IN: tuple[FileHandler, ...] = (ChildrenFile(), ReferralsFile(), MissingEpisodesFile())
_handlers: dict[str, FileHandler] = {handler.spec.name: handler for handler in BUILT_IN}


def register_file(name: str, handler: FileHandler) -> None:
    """Let a downstream app import and export one more file (call it from AppConfig.ready)."""
    if handler.spec.name != name:
        raise ValueError(f"the handler's spec is for {handler.spec.name}, not {name}")
    if name in _handlers and _handlers[name] is not handler:
        raise ValueError(f"{name} already has a handler")
    _handlers[name] = handler


def unregister_file(name: str) -> None:
    """Remove a registered handler (for tests); the built-in files cannot be removed."""
    if name in {handler.spec.name for handler in BUILT_IN}:
        raise ValueError(f"{name} is handled by referrals itself")
    _handlers.pop(name, None)


def handler_for(name: str) -> FileHandler | None:
    return _handlers.get(name)


def file_names() -> list[str]:
    """Every file name the format knows, in the order files are applied."""
    extra = [name for name in _handlers if name not in DOCUMENTED_FILES]
    return [*DOCUMENTED_FILES, *extra]


def handlers() -> Iterable[FileHandler]:
    """The registered handlers, in the order files are applied."""
    return [_handlers[name] for name in file_names() if name in _handlers]
