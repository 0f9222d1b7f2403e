"""What a tasking meeting's agenda says, gathered once for the PDF and the Word renderers.

An internal document for the group's members. Each item is printed with its case reference;
the child's name is added only for a viewer who may open that child's record (and, for a
restricted record, has given a reason this session), so the same meeting prints differently
for a police member and for the chair. COVERT actions are never printed, for anyone: a printed
paper travels beyond the people cleared to know of them.
"""

import dataclasses
import datetime
from collections.abc import Collection

from django.conf import settings

from cre_portal.accounts.models import User
from cre_portal.timescales import local_date
from referrals.models import Child
from referrals.permissions.children import visible_children
from tasking.models import Action, TaskingMeeting
from tasking.permissions.actions import visible_actions
from tasking.services.agenda import agency_label
from tasking.services.meetings import short_date, when

Status = TaskingMeeting.Status


@dataclasses.dataclass(frozen=True)
class ItemRow:
    number: int
    kind: str
    title: str
    child: str  # "C000123" or "C000123, Jane Doe"; empty when the item is not about a child
    minutes: str


@dataclasses.dataclass(frozen=True)
class ActionRow:
    about: str
    tactic: str
    description: str
    owner: str
    due: str
    status: str


@dataclasses.dataclass(frozen=True)
class AgendaDocument:
    """Everything the agenda prints, as plain strings and lists."""

    council_name: str
    title: str
    group_name: str
    tier: str
    when: str
    location: str
    chair: str
    status: str
    is_draft: bool
    is_held: bool
    attendees: list[tuple[str, str]]
    items: list[ItemRow]
    actions: list[ActionRow]
    prepared_on: str
    meeting_date: datetime.date
    meeting_ref: str
    # Not printed as such: whose names the paper carries, for the access log.
    named_children: list[Child]

    @property
    def filename_stem(self) -> str:
        """No names in a file name: file names end up in download folders and emails."""
        return f"tasking-agenda-{self.meeting_date:%Y-%m-%d}-{self.meeting_ref}"


def nameable_children(
    viewer: User, child_ids: Collection[object], opened: Collection[str]
) -> dict[object, Child]:
    """The children whose names the viewer may read: those whose records they may open (and,
    for a restricted record, have opened this session)."""
    children = visible_children(viewer).filter(pk__in=child_ids)
    return {
        child.pk: child for child in children if not child.is_restricted or str(child.pk) in opened
    }


def _child_line(child: Child | None, names: dict[object, Child]) -> str:
    if child is None:
        return ""
    if child.pk not in names:
        return child.child_ref
    return f"{child.child_ref}, {child.full_name}"


def _items(meeting: TaskingMeeting, names: dict[object, Child]) -> list[ItemRow]:
    items = meeting.agenda_items.filter(is_included=True).select_related("child")
    return [
        ItemRow(
            number,
            item.get_kind_display(),
            item.title,
            _child_line(item.child, names),
            item.minutes,
        )
        for number, item in enumerate(items.order_by("position", "created_at"), start=1)
    ]


def _actions(meeting: TaskingMeeting, viewer: User) -> list[ActionRow]:
    actions = visible_actions(viewer).filter(meeting=meeting, nature=Action.Nature.IMMEDIATE)
    rows = []
    for action in actions.order_by("due_on", "created_at"):
        owner = agency_label(action.owner_agency)
        if action.owner is not None:
            owner = f"{action.owner.display_name}, {owner}"
        about = action.child.child_ref if action.child else ""
        tactic = action.get_tactic_display()
        if action.tactic_detail:
            tactic = f"{tactic}: {action.tactic_detail}"
        rows.append(
            ActionRow(
                about,
                tactic,
                action.description,
                owner,
                short_date(action.due_on),
                action.get_status_display(),
            )
        )
    return rows


def _attendees(meeting: TaskingMeeting) -> list[tuple[str, str]]:
    rows = meeting.attendance.select_related("user").order_by("user__full_name")
    return [(row.user.display_name, "Yes" if row.attended else "No") for row in rows]


def agenda_document(
    meeting: TaskingMeeting, *, viewer: User, opened: Collection[str], today: datetime.date
) -> AgendaDocument:
    """The agenda of a meeting as `viewer` may read it (`opened`: restricted records opened)."""
    child_ids = meeting.agenda_items.filter(is_included=True).values_list("child_id", flat=True)
    names = nameable_children(viewer, [pk for pk in child_ids if pk], opened)
    group = meeting.group
    held = meeting.status == Status.HELD
    return AgendaDocument(
        council_name=settings.COUNCIL_NAME,
        title=f"{group.get_tier_display()} tasking meeting: " + ("minutes" if held else "agenda"),
        group_name=group.name,
        tier=group.get_tier_display(),
        when=when(meeting.scheduled_for),
        location=meeting.location,
        chair=group.chair.display_name,
        status=meeting.get_status_display(),
        is_draft=meeting.status == Status.PLANNED,
        is_held=held,
        attendees=_attendees(meeting) if held else [],
        items=_items(meeting, names),
        actions=_actions(meeting, viewer),
        prepared_on=short_date(today),
        meeting_date=local_date(meeting.scheduled_for),
        meeting_ref=meeting.pk.hex[:8],
        named_children=list(names.values()),
    )
