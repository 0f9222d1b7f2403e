"""missing_episodes.csv: missing episodes, matched on `episode_ref`, and when the RHI took place.

`rhi_completed_at` is the `completed_at` of the episode's return home interview: given, the
interview is created or updated; empty, an existing interview's time is cleared (the interview
and what was written in it stay). An interview needs the child to have returned, so
`rhi_completed_at` without `ended_at` is refused too.
"""

from collections.abc import Iterable
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist

from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import LONDON, rhi_due_at
from referrals.data_exchange.context import FilePlan, ImportContext, imported_event
from referrals.data_exchange.files.base import (
    BATCH_SIZE,
    RecordFile,
    child_refs,
    has,
    lock_if,
    save_changes,
)
from referrals.data_exchange.schema import MISSING_EPISODES, FileSpec, Problem
from referrals.data_exchange.validate import CheckedTable, Row
from referrals.models import MissingEpisode, ReturnInterview

# An episode with its interview, if it has one.
Record = tuple[MissingEpisode, ReturnInterview | None]
INTERVIEW_COLUMN = "rhi_completed_at"


def _interview_of(episode: MissingEpisode) -> ReturnInterview | None:
    try:
        return episode.return_interview
    except ObjectDoesNotExist:
        return None


def _interview_event(interview: ReturnInterview, ctx: ImportContext) -> CaseEvent:
    completed_at = interview.completed_at
    day = completed_at.astimezone(LONDON).date().isoformat() if completed_at else ""
    return imported_event(
        child_id=interview.episode.child_id,
        category=CaseEvent.Category.RHI,
        summary=f"Return home interview imported: completed {day}",
        obj=interview,
        actor=ctx.actor,
        occurred_at=completed_at,
    )


class MissingEpisodesFile(RecordFile[Record]):
    spec: ClassVar[FileSpec] = MISSING_EPISODES
    model = MissingEpisode

    def plan(self, table: CheckedTable, ctx: ImportContext) -> FilePlan:
        ctx.find_children(child_refs(table))
        return super().plan(table, ctx)

    def existing(self, refs: set[str], ctx: ImportContext) -> dict[str, Record]:
        episodes = lock_if(
            MissingEpisode.objects.filter(episode_ref__in=refs).select_related("child"), ctx
        )
        interviews = lock_if(ReturnInterview.objects.filter(episode__episode_ref__in=refs), ctx)
        by_episode = {interview.episode_id: interview for interview in interviews}
        return {e.episode_ref: (e, by_episode.get(e.pk)) for e in episodes}

    def current(self, record: Record) -> dict[str, Any]:
        episode, interview = record
        values = {name: getattr(episode, name, None) for name in self.spec.column_names}
        values["child_ref"] = episode.child.child_ref
        values[INTERVIEW_COLUMN] = interview.completed_at if interview else None
        return values

    def rules(self, row: Row, values: dict[str, Any], ctx: ImportContext) -> list[Problem]:
        problems = []
        if has(values, "child_ref") and (problem := ctx.child_problem(row, values["child_ref"])):
            problems.append(problem)
        ended_at = values.get("ended_at")
        if has(values, "started_at") and ended_at is not None and ended_at < values["started_at"]:
            problems.append(row.problem("ended_at", "must not be before started_at"))
        if has(values, "ended_at", INTERVIEW_COLUMN) and values[INTERVIEW_COLUMN] is not None:
            if values["ended_at"] is None:
                message = "needs ended_at: an interview takes place after the child returns"
                problems.append(row.problem(INTERVIEW_COLUMN, message))
            elif values[INTERVIEW_COLUMN] < values["ended_at"]:
                problems.append(row.problem(INTERVIEW_COLUMN, "must not be before ended_at"))
        return problems

    def _episode_fields(self, values: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        fields = {k: v for k, v in values.items() if k != INTERVIEW_COLUMN}
        if "child_ref" in fields:
            fields["child_id"] = ctx.child_ids.get(fields.pop("child_ref"))
        return fields

    def build(self, values: dict[str, Any], ctx: ImportContext) -> tuple:
        episode = MissingEpisode(**self._episode_fields(values, ctx), created_by=ctx.actor)
        return episode, values[INTERVIEW_COLUMN]

    def apply(self, plan: FilePlan, ctx: ImportContext) -> None:
        episodes = [episode for episode, _ in plan.new]
        for episode in episodes:
            # bulk_create skips save(), which derives the 72-hour due time the same way.
            episode.rhi_due_at = rhi_due_at(episode.ended_at) if episode.ended_at else None
        MissingEpisode.objects.bulk_create(episodes, batch_size=BATCH_SIZE)
        interviews = [
            ReturnInterview(episode=episode, completed_at=completed_at)
            for episode, completed_at in plan.new
            if completed_at is not None
        ]
        ReturnInterview.objects.bulk_create(interviews, batch_size=BATCH_SIZE)
        events = [self._episode_event(episode, ctx) for episode in episodes]
        events += [_interview_event(interview, ctx) for interview in interviews]
        for record, changes in plan.changed:
            events += self._apply_changes(record, changes, ctx)
        CaseEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)

    def _apply_changes(self, record: Record, changes: dict, ctx: ImportContext) -> list[CaseEvent]:
        episode, interview = record
        fields = self._episode_fields(changes, ctx)
        if fields:
            save_changes(episode, fields)
        if INTERVIEW_COLUMN not in changes:
            return []
        if interview is not None:
            save_changes(interview, {"completed_at": changes[INTERVIEW_COLUMN]})
            return []
        interview = ReturnInterview.objects.create(
            episode=episode, completed_at=changes[INTERVIEW_COLUMN]
        )
        return [_interview_event(interview, ctx)]

    def _episode_event(self, episode: MissingEpisode, ctx: ImportContext) -> CaseEvent:
        started = episode.started_at.astimezone(LONDON)
        return imported_event(
            child_id=episode.child_id,
            category=CaseEvent.Category.MISSING,
            summary=f"Missing episode imported: {episode.kind}, started {started:%Y-%m-%d %H:%M}",
            obj=episode,
            actor=ctx.actor,
            occurred_at=episode.started_at,
        )

    def all_records(self) -> Iterable[Record]:
        episodes = MissingEpisode.objects.order_by().select_related("child", "return_interview")
        return ((e, _interview_of(e)) for e in episodes.iterator(chunk_size=BATCH_SIZE))
