"""Tasking actions: agreeing them at a meeting, progressing them, and the chronology."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.models import Agency
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from tasking.models import Action, Tactic
from tasking.services.actions import COVERT_OWNER, NOT_A_MEMBER, action_create, action_update
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import GroupMembershipFactory
from tests.tasking.factories_meetings import (
    ActionFactory,
    CovertActionFactory,
    PublishedMeetingFactory,
    TaskingMeetingFactory,
    cleared_member,
    put_on_agenda,
)

pytestmark = pytest.mark.django_db
Nature = Action.Nature


@pytest.fixture
def meeting():
    return PublishedMeetingFactory()


@pytest.fixture
def child(meeting):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)
    return child


def create(meeting, **overrides):
    fields = {
        "description": "Serve a closure notice on the flat",
        "tactic": Tactic.LOCATIONS,
        "tactic_detail": "Closure notice",
        "nature": Nature.IMMEDIATE,
        "owner_agency": Agency.POLICE,
        "owner": None,
        "due_on": timezone.localdate() + datetime.timedelta(days=14),
    }
    return action_create(meeting=meeting, actor=meeting.group.chair, **{**fields, **overrides})


# --- Agreeing an action ---------------------------------------------------------------------------
def test_an_immediate_action_about_a_child_goes_on_the_chronology(meeting, child):
    action = create(meeting, child=child)

    assert (action.group, action.meeting, action.created_by) == (
        meeting.group,
        meeting,
        meeting.group.chair,
    )
    event = CaseEvent.objects.get(child_id=child.pk)
    assert (event.category, event.verb) == (CaseEvent.Category.ACTION, "tasking_action_agreed")
    assert event.summary.startswith("Tasking action agreed: Locations of concern, due ")
    assert "closure" not in event.summary.lower()


def test_a_covert_action_leaves_no_trace_on_the_chronology(meeting, child):
    action = create(meeting, child=child, nature=Nature.COVERT)
    action_update(action=action, actor=meeting.group.chair, status="DONE", outcome="", version=1)

    assert not CaseEvent.objects.filter(child_id=child.pk).exists()
    assert not CaseEvent.objects.filter(object_id=str(action.pk)).exists()


@pytest.mark.parametrize("cleared", [True, False])
def test_a_covert_actions_owner_must_be_cleared(meeting, cleared):
    member = GroupMembershipFactory(group=meeting.group, has_covert_clearance=cleared).user

    if cleared:
        assert create(meeting, nature=Nature.COVERT, owner=member).owner == member
    else:
        with pytest.raises(ValidationError) as error:
            create(meeting, nature=Nature.COVERT, owner=member)
        assert error.value.message_dict == {"owner": [COVERT_OWNER]}


def test_the_chair_may_own_a_covert_action(meeting):
    chair = meeting.group.chair

    assert create(meeting, nature=Nature.COVERT, owner=chair).owner == chair


def test_an_owner_is_a_member_of_the_group(meeting):
    outsider = GroupMembershipFactory().user

    with pytest.raises(ValidationError) as error:
        create(meeting, owner=outsider)

    assert error.value.message_dict == {"owner": [NOT_A_MEMBER]}


def test_an_action_is_about_a_child_on_the_agenda(meeting):
    with pytest.raises(ValidationError) as error:
        create(meeting, child=ChildFactory())

    assert error.value.message_dict == {"child": ["Select a child on this meeting's agenda"]}


def test_each_answer_is_checked(meeting):
    before = timezone.localdate(meeting.scheduled_for) - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        create(meeting, description=" ", owner_agency="MI5", due_on=before)

    assert error.value.message_dict == {
        "description": ["Enter what needs to be done"],
        "owner_agency": ["Select the agency that owns the action"],
        "due_on": ["The due date must be the same as or after the date of the meeting"],
    }


def test_actions_are_agreed_once_the_agenda_is_published():
    with pytest.raises(ValidationError):
        create(TaskingMeetingFactory())


def test_only_the_groups_chair_agrees_actions(meeting, admin_user):
    member = cleared_member(meeting.group).user
    for actor in (member, admin_user):
        with pytest.raises(PermissionDenied):
            action_create(
                meeting=meeting,
                actor=actor,
                description="x",
                tactic=Tactic.LOCATIONS,
                tactic_detail="",
                nature=Nature.IMMEDIATE,
                owner_agency=Agency.POLICE,
                owner=None,
                due_on=timezone.localdate(),
            )


# --- Progressing it -------------------------------------------------------------------------------
def test_the_owner_marks_their_action_done(meeting, child):
    # given
    owner = GroupMembershipFactory(group=meeting.group).user
    action = ActionFactory(meeting=meeting, child=child, owner=owner)

    # when
    action_update(action=action, actor=owner, status="DONE", outcome=" Notice served ", version=1)

    # then
    action.refresh_from_db()
    assert (action.status, action.outcome, action.completed_on, action.version) == (
        Action.Status.DONE,
        "Notice served",
        timezone.localdate(),
        2,
    )
    assert CaseEvent.objects.get(child_id=child.pk).verb == "tasking_action_done"


def test_reopening_clears_the_completion_date(meeting):
    action = ActionFactory(meeting=meeting, status="DONE", completed_on=timezone.localdate())

    action_update(action=action, actor=meeting.group.chair, status="OPEN", outcome="", version=1)

    action.refresh_from_db()
    assert action.completed_on is None


def test_a_stale_update_is_refused(meeting):
    action = ActionFactory(meeting=meeting)
    action_update(
        action=action, actor=meeting.group.chair, status="IN_PROGRESS", outcome="", version=1
    )

    with pytest.raises(StaleEdit) as stale:
        action_update(
            action=action, actor=meeting.group.chair, status="DONE", outcome="", version=1
        )

    assert "status" in stale.value.changed_fields


def test_another_member_cannot_update_an_action(meeting):
    action = ActionFactory(meeting=meeting, owner=GroupMembershipFactory(group=meeting.group).user)
    other = GroupMembershipFactory(group=meeting.group).user

    with pytest.raises(PermissionDenied):
        action_update(action=action, actor=other, status="DONE", outcome="", version=1)


def test_an_owner_who_lost_clearance_can_no_longer_touch_a_covert_action(meeting):
    membership = cleared_member(meeting.group)
    action = CovertActionFactory(meeting=meeting, owner=membership.user)
    membership.has_covert_clearance = False
    membership.save()

    with pytest.raises(PermissionDenied):
        action_update(action=action, actor=membership.user, status="DONE", outcome="", version=1)
