"""assessments.csv: historical risk assessment outcomes, matched on `assessment_ref`.

referrals runs the import and export (`referrals.data_exchange`); this app owns assessments, so
it registers the handler of their file (see `apps.py`). A new row becomes an approved assessment
of origin IMPORT, with no template, answers or score: the outcome only. Its review date is the
one its level gives from `completed_on`, as if it had been approved that day.

The export writes every completed assessment (a level and `completed_on`), those made in the
app too, in the same five columns, so the file is the child's whole history. An app-made one
reads back as unchanged; imported into an empty database it becomes an imported outcome, which
exports the same row again. An import never changes an app-made assessment, whose level comes
from its answers: a row that would is refused (a child having app-made assessments is not).

After the import, each child whose assessments it touched carries the level, date and review
date of their latest completed assessment (ties: the later-created one), in one statement.
"""

import dataclasses
import datetime
import uuid
from collections.abc import Collection, Iterable
from typing import Any, ClassVar, cast

from django.db import connection
from django.utils import timezone

from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import LONDON, risk_review_due
from referrals.codes import RiskLevel
from referrals.data_exchange.context import FilePlan, ImportContext, imported_event
from referrals.data_exchange.files.base import (
    BATCH_SIZE,
    RecordFile,
    child_refs,
    has,
    lock_if,
    save_changes,
)
from referrals.data_exchange.schema import ASSESSMENTS, FileSpec, Problem, parse_past_date
from referrals.data_exchange.validate import CheckedTable, Row
from referrals.models import Child
from risk_assessment.models import Assessment

# The documented columns; an outcome cannot have been reached after today.
SPEC = dataclasses.replace(
    ASSESSMENTS,
    columns=tuple(
        dataclasses.replace(column, parse=parse_past_date)
        if column.name == "completed_on"
        else column
        for column in ASSESSMENTS.columns
    ),
)

# The child's latest completed assessment, or nothing: one UPDATE for every child touched, which
# leaves alone (no write, no history row) the children whose values are already right. The
# version moves so that an edit form of the child loaded before the import goes stale.
CHILD_RISK_SQL = """
UPDATE {child} AS child
SET risk_level = COALESCE(latest.level, ''),
    risk_assessed_on = latest.completed_on,
    next_review_on = latest.next_review_on,
    version = child.version + 1,
    updated_at = %(now)s
FROM unnest(%(ids)s::uuid[]) AS touched(id)
LEFT JOIN LATERAL (
    SELECT level, completed_on, next_review_on
    FROM {assessment}
    WHERE child_id = touched.id AND level <> '' AND completed_on IS NOT NULL
    ORDER BY completed_on DESC, created_at DESC, assessment_ref DESC
    LIMIT 1
) AS latest ON TRUE
WHERE child.id = touched.id
  AND (child.risk_level, child.risk_assessed_on, child.next_review_on)
      IS DISTINCT FROM (COALESCE(latest.level, ''), latest.completed_on, latest.next_review_on)
"""


def children_risk_refresh(child_ids: Collection[uuid.UUID]) -> None:
    """Record on each child the level, date and review date of their latest completed assessment."""
    if not child_ids:
        return
    quote = connection.ops.quote_name
    sql = CHILD_RISK_SQL.format(
        child=quote(Child._meta.db_table), assessment=quote(Assessment._meta.db_table)
    )
    params: dict[str, Any] = {"now": timezone.now(), "ids": [str(pk) for pk in child_ids]}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _refused_change(assessment: Assessment) -> str:
    """Why a row may not change an assessment made in the app."""
    ref = assessment.assessment_ref
    if assessment.completed_on is None:
        return f"{ref} is an assessment in progress in CRE Portal: give this row another reference"
    return (
        f"{ref} was completed in CRE Portal, where its answers set the level: "
        "an import cannot change it"
    )


def _imported_event(assessment: Assessment, ctx: ImportContext) -> CaseEvent:
    completed_on = cast(datetime.date, assessment.completed_on)  # every outcome imported has one
    event = imported_event(
        child_id=assessment.child_id,
        category=CaseEvent.Category.ASSESSMENT,
        summary=(
            f"Risk assessment imported: {RiskLevel(assessment.level).label}, "
            f"{assessment.exploitation_type}, completed {completed_on.isoformat()}"
        ),
        obj=assessment,
        actor=ctx.actor,
        occurred_at=datetime.datetime.combine(completed_on, datetime.time(), tzinfo=LONDON),
    )
    # As when an assessment is approved in the app: a high level stands out in the chronology.
    event.is_significant = assessment.level == RiskLevel.HIGH
    return event


class AssessmentsFile(RecordFile[Assessment]):
    spec: ClassVar[FileSpec] = SPEC
    model = Assessment

    def plan(self, table: CheckedTable, ctx: ImportContext) -> FilePlan:
        ctx.find_children(child_refs(table))
        plan = super().plan(table, ctx)
        lines = {row.values.get(self.spec.ref_column): row.line for row in table.rows}
        kept = []
        for assessment, changes in plan.changed:
            if assessment.origin == Assessment.Origin.IMPORT:
                kept.append((assessment, changes))
                continue
            line = lines[assessment.assessment_ref]
            problem = Problem(
                self.spec.name, line, self.spec.ref_column, _refused_change(assessment)
            )
            plan.problems.append(problem)
        plan.changed = kept
        return plan

    def existing(self, refs: set[str], ctx: ImportContext) -> dict[str, Assessment]:
        assessments = Assessment.objects.filter(assessment_ref__in=refs).select_related("child")
        return {a.assessment_ref: a for a in lock_if(assessments, ctx)}

    def current(self, record: Assessment) -> dict[str, Any]:
        values = {name: getattr(record, name, None) for name in self.spec.column_names}
        return {**values, "child_ref": record.child.child_ref}

    def rules(self, row: Row, values: dict[str, Any], ctx: ImportContext) -> list[Problem]:
        if has(values, "child_ref") and (problem := ctx.child_problem(row, values["child_ref"])):
            return [problem]
        return []

    def build(self, values: dict[str, Any], ctx: ImportContext) -> Assessment:
        fields = {name: value for name, value in values.items() if name != "child_ref"}
        # None only when the child's own row has problems, so this assessment is never saved.
        child_id: Any = ctx.child_ids.get(values["child_ref"])
        return Assessment(
            **fields,
            child_id=child_id,
            template=None,
            origin=Assessment.Origin.IMPORT,
            status=Assessment.Status.APPROVED,
            next_review_on=risk_review_due(values["level"], values["completed_on"]),
            created_by=ctx.actor,
        )

    def _field_changes(self, assessment: Assessment, changes: dict, ctx: ImportContext) -> dict:
        fields = dict(changes)
        if "child_ref" in fields:
            fields["child_id"] = ctx.child_ids[fields.pop("child_ref")]
        if "level" in fields or "completed_on" in fields:
            level = fields.get("level", assessment.level)
            completed_on = fields.get("completed_on", assessment.completed_on)
            fields["next_review_on"] = risk_review_due(level, cast(datetime.date, completed_on))
        return fields

    def apply(self, plan: FilePlan, ctx: ImportContext) -> None:
        Assessment.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
        events = [_imported_event(assessment, ctx) for assessment in plan.new]
        CaseEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        touched = {assessment.child_id for assessment in plan.new}
        for assessment, changes in plan.changed:
            touched.add(assessment.child_id)  # the child it leaves, when it moves
            save_changes(assessment, self._field_changes(assessment, changes, ctx))
            touched.add(assessment.child_id)
        children_risk_refresh(touched)

    def all_records(self) -> Iterable[Assessment]:
        completed = Assessment.objects.exclude(level="").filter(completed_on__isnull=False)
        return completed.order_by().select_related("child").iterator(chunk_size=BATCH_SIZE)


# One instance, so registering it again (AppConfig.ready run twice) is harmless.
ASSESSMENTS_FILE = AssessmentsFile()
