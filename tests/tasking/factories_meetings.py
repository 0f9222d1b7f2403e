"""Tasking meetings in each state, agenda items, actions (immediate and covert) and escalations.

Groups, members and subjects come from tests/tasking/factories.py (the GROUPS & SUBJECTS
engineers'). Times are relative to now: whether a meeting may be held depends on the clock.
"""

import datetime

import factory
from django.utils import timezone

from cre_portal.accounts.models import Agency
from referrals.models import ChildShare
from tasking.models import (
    Action,
    AgendaItem,
    Escalation,
    GroupMembership,
    Tactic,
    TaskingGroup,
    TaskingMeeting,
)
from tests.tasking.factories import (
    GroupMembershipFactory,
    StrategicGroupFactory,
    TaskingGroupFactory,
    group_audience,
)

Status = TaskingMeeting.Status


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def tiered_groups() -> tuple[TaskingGroup, TaskingGroup]:
    """An operational group that escalates to a strategic one."""
    strategic = StrategicGroupFactory()
    return TaskingGroupFactory(escalates_to=strategic), strategic


def cleared_member(group: TaskingGroup, **kwargs) -> GroupMembership:
    return GroupMembershipFactory(group=group, has_covert_clearance=True, **kwargs)


class TaskingMeetingFactory(factory.django.DjangoModelFactory):
    """Planned for a week from now: its agenda is a draft."""

    class Meta:
        model = TaskingMeeting

    group = factory.SubFactory(TaskingGroupFactory)
    scheduled_for = factory.LazyFunction(lambda: in_days(7))
    location = "Room 2, County Hall"


class PublishedMeetingFactory(TaskingMeetingFactory):
    """Agenda published; the meeting started an hour ago, so it may be recorded as held."""

    scheduled_for = factory.LazyFunction(lambda: in_days(-1 / 24))
    status = Status.PUBLISHED
    agenda_published_at = factory.LazyFunction(lambda: in_days(-2))


class HeldMeetingFactory(PublishedMeetingFactory):
    """Held two weeks ago."""

    scheduled_for = factory.LazyFunction(lambda: in_days(-14))
    status = Status.HELD
    agenda_published_at = factory.LazyFunction(lambda: in_days(-16))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(TaskingMeetingFactory)
    kind = AgendaItem.Kind.OTHER
    title = factory.Sequence(lambda n: f"Partner update {n}")
    position = factory.Sequence(lambda n: (n % 3000 + 1) * 10)  # a smallint: keep it bounded


def put_on_agenda(meeting: TaskingMeeting, child=None, subject=None, **kwargs) -> AgendaItem:
    """An included item about the child (shared with the group, as publishing does)."""
    if child is not None and meeting.status != Status.PLANNED:
        ChildShare.objects.get_or_create(child=child, audience=group_audience(meeting.group))
    ref = child.child_ref if child else "subject"
    return AgendaItemFactory(
        meeting=meeting, child=child, subject=subject, title=f"{ref}: on the agenda", **kwargs
    )


class ActionFactory(factory.django.DjangoModelFactory):
    """An immediate action agreed at a published meeting, due in a fortnight, owned by police."""

    class Meta:
        model = Action

    meeting = factory.SubFactory(PublishedMeetingFactory)
    group = factory.SelfAttribute("meeting.group")
    description = "Serve a closure notice on the flat"
    tactic = Tactic.LOCATIONS
    tactic_detail = "Closure notice"
    nature = Action.Nature.IMMEDIATE
    owner_agency = Agency.POLICE
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class CovertActionFactory(ActionFactory):
    description = "Hotel guest information request for the Station Hotel"
    tactic_detail = "Hotel guest information request"
    nature = Action.Nature.COVERT


class EscalationFactory(factory.django.DjangoModelFactory):
    """Raised from an operational group to the strategic group above it. Pass child, subject
    or action (exactly one)."""

    class Meta:
        model = Escalation

    from_group = factory.SubFactory(
        TaskingGroupFactory, escalates_to=factory.SubFactory(StrategicGroupFactory)
    )
    to_group = factory.SelfAttribute("from_group.escalates_to")
    reason = "Several children in the area linked to the same address"
    raised_by = factory.SelfAttribute("from_group.chair")
