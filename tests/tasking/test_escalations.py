"""Escalation one tier up and back: raising, the upper agenda, the decision, the outcome."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cre_portal.audit.models import CaseEvent
from tasking.models import AgendaItem, Escalation
from tasking.permissions.meetings import visible_escalations
from tasking.services.agenda import agenda_draft, agenda_publish
from tasking.services.escalations import (
    ALREADY_OPEN,
    COVERT_REFUSED,
    escalation_decide,
    escalation_raise,
)
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    GroupMembershipFactory,
    SubjectOfConcernFactory,
    TaskingGroupFactory,
)
from tests.tasking.factories_meetings import (
    ActionFactory,
    CovertActionFactory,
    EscalationFactory,
    PublishedMeetingFactory,
    TaskingMeetingFactory,
    in_days,
    put_on_agenda,
    tiered_groups,
)

pytestmark = pytest.mark.django_db
Status = Escalation.Status


@pytest.fixture
def groups():
    return tiered_groups()


@pytest.fixture
def meeting(groups):
    return PublishedMeetingFactory(group=groups[0])


def raise_(meeting, **thing):
    return escalation_raise(
        meeting=meeting, actor=meeting.group.chair, reason="Three children linked", **thing
    )


def test_round_trip_from_operational_to_strategic_and_back(groups, meeting, signed_in):
    # given: a place linked to two children is on the operational agenda
    operational, strategic = groups
    place = SubjectOfConcernFactory()
    ChildSubjectLinkFactory.create_batch(2, subject=place)
    put_on_agenda(meeting, subject=place)
    partner = GroupMembershipFactory(group=operational).user

    # when: the operational chair escalates it
    escalation = raise_(meeting, subject=place)

    # then: it is proposed for the strategic group's next agenda, and publishing puts it on
    upper = TaskingMeetingFactory(group=strategic)
    agenda_draft(meeting=upper, actor=strategic.chair)
    item = upper.agenda_items.get(kind=AgendaItem.Kind.ESCALATION)
    assert (item.escalation, item.subject) == (escalation, place)
    assert (
        item.title
        == f"Escalated from {operational.name}: Place of concern SUB-{place.pk.hex[:8].upper()}"
    )
    agenda_publish(meeting=upper, actor=strategic.chair)
    escalation.refresh_from_db()
    assert escalation.status == Status.ON_AGENDA

    # when: the strategic chair decides
    escalation_decide(
        escalation=escalation, actor=strategic.chair, outcome="Licensing review requested"
    )

    # then: the outcome shows on the operational group's pages, to its members too
    assert visible_escalations(partner).get() == escalation
    page = signed_in(partner).get(reverse("tasking:meeting_list", args=[operational.pk]))
    assert "Licensing review requested" in page.content.decode()
    # and comes back as an item on the operational group's next agenda
    following = TaskingMeetingFactory(group=operational, scheduled_for=in_days(14))
    agenda_draft(meeting=following, actor=operational.chair)
    outcome = following.agenda_items.get(kind=AgendaItem.Kind.ESCALATION)
    assert outcome.escalation == escalation
    assert outcome.title.startswith("Outcome: escalation of Place of concern SUB-")


def test_escalating_a_child_goes_on_its_chronology(meeting):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)

    escalation = raise_(meeting, child=child)

    assert (escalation.from_group, escalation.to_group) == (
        meeting.group,
        meeting.group.escalates_to,
    )
    assert escalation.status == Status.RAISED
    event = CaseEvent.objects.get(child_id=child.pk, verb="tasking_escalated")
    assert event.summary == "Escalated to the strategic tasking group"


def test_an_immediate_action_can_be_escalated(meeting):
    action = ActionFactory(meeting=meeting)

    assert raise_(meeting, action=action).action == action


def test_a_covert_action_cannot_be_escalated(meeting):
    action = CovertActionFactory(meeting=meeting)

    with pytest.raises(ValidationError) as error:
        raise_(meeting, action=action)

    assert error.value.message_dict == {"thing": [COVERT_REFUSED]}
    assert not Escalation.objects.exists()


def test_only_things_on_the_agenda_or_the_groups_actions(meeting):
    for thing in (
        {"child": ChildFactory()},
        {"subject": SubjectOfConcernFactory()},
        {"action": ActionFactory()},
    ):
        with pytest.raises(ValidationError):
            raise_(meeting, **thing)


def test_one_thing_at_a_time(meeting):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)

    with pytest.raises(ValidationError):
        raise_(meeting)
    with pytest.raises(ValidationError):
        raise_(meeting, child=child, action=ActionFactory(meeting=meeting))


def test_not_again_while_waiting_for_a_decision(meeting):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)
    first = raise_(meeting, child=child)

    with pytest.raises(ValidationError) as error:
        raise_(meeting, child=child)
    escalation_decide(escalation=first, actor=meeting.group.escalates_to.chair, outcome="Noted")

    assert error.value.message_dict == {"thing": [ALREADY_OPEN]}
    assert raise_(meeting, child=child).status == Status.RAISED


def test_a_reason_is_needed(meeting):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)

    with pytest.raises(ValidationError) as error:
        escalation_raise(meeting=meeting, actor=meeting.group.chair, reason=" ", child=child)

    assert error.value.message_dict == {"reason": ["Enter why you are escalating it"]}


def test_only_the_chair_escalates_and_only_where_there_is_a_tier_above(meeting, admin_user):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)
    member = GroupMembershipFactory(group=meeting.group).user
    top = PublishedMeetingFactory(group=meeting.group.escalates_to)
    put_on_agenda(top, child=child)

    for actor, at in ((member, meeting), (admin_user, meeting), (top.group.chair, top)):
        with pytest.raises(PermissionDenied):
            escalation_raise(meeting=at, actor=actor, reason="x", child=child)


def test_a_planned_meeting_escalates_nothing(groups):
    meeting = TaskingMeetingFactory(group=groups[0])

    with pytest.raises(ValidationError):
        raise_(meeting, child=ChildFactory())


# --- Deciding -------------------------------------------------------------------------------------
def test_only_the_receiving_chair_decides_once():
    # given
    escalation = EscalationFactory(child=ChildFactory())
    raising_chair = escalation.from_group.chair

    # when / then
    with pytest.raises(PermissionDenied):
        escalation_decide(escalation=escalation, actor=raising_chair, outcome="Mine")
    decided = escalation_decide(
        escalation=escalation, actor=escalation.to_group.chair, outcome=" Referred on "
    )
    assert (decided.status, decided.outcome, decided.decided_on, decided.decided_by) == (
        Status.DECIDED,
        "Referred on",
        timezone.localdate(),
        escalation.to_group.chair,
    )
    with pytest.raises(ValidationError):
        escalation_decide(escalation=escalation, actor=escalation.to_group.chair, outcome="Again")


def test_a_decision_needs_an_outcome():
    escalation = EscalationFactory(child=ChildFactory())

    with pytest.raises(ValidationError) as error:
        escalation_decide(escalation=escalation, actor=escalation.to_group.chair, outcome="")

    assert error.value.message_dict == {"outcome": ["Enter the outcome of the escalation"]}


def test_escalations_are_seen_by_both_groups_and_nobody_else():
    escalation = EscalationFactory(child=ChildFactory())
    lower = GroupMembershipFactory(group=escalation.from_group).user
    upper = GroupMembershipFactory(group=escalation.to_group).user
    elsewhere = GroupMembershipFactory(group=TaskingGroupFactory()).user

    assert [bool(visible_escalations(u).count()) for u in (lower, upper, elsewhere)] == [
        True,
        True,
        False,
    ]
