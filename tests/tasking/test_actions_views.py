"""Action and escalation pages: adding, opening and updating actions, lists, escalating and
deciding."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.audit.models import AccessLogEntry
from tasking.models import Action, Escalation
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import GroupMembershipFactory, TaskingGroupFactory
from tests.tasking.factories_meetings import (
    ActionFactory,
    CovertActionFactory,
    EscalationFactory,
    PublishedMeetingFactory,
    cleared_member,
    put_on_agenda,
    tiered_groups,
)

pytestmark = pytest.mark.django_db


def url(name, obj=None):
    return reverse(f"tasking:{name}", args=[obj.pk] if obj else [])


@pytest.fixture
def meeting():
    return PublishedMeetingFactory(group=tiered_groups()[0])


def action_answers(due, **overrides):
    return {
        "child": "",
        "subject": "",
        "description": "Serve a closure notice",
        "tactic": "LOCATIONS",
        "tactic_detail": "Closure notice",
        "nature": "IMMEDIATE",
        "owner_agency": "POLICE",
        "owner": "",
        "due_on_0": due.day,
        "due_on_1": due.month,
        "due_on_2": due.year,
        **overrides,
    }


# --- Adding an action -----------------------------------------------------------------------------
def test_the_chair_adds_a_covert_action_about_a_child_on_the_agenda(meeting, signed_in):
    # given
    child = ChildFactory()
    put_on_agenda(meeting, child=child)
    owner = cleared_member(meeting.group).user
    due = timezone.localdate() + timezone.timedelta(days=7)

    # when
    response = signed_in(meeting.group.chair).post(
        url("action_create", meeting),
        action_answers(due, child=child.pk, nature="COVERT", owner=owner.pk),
    )

    # then
    action = Action.objects.get()
    assert response.status_code == 302
    assert (action.child, action.nature, action.owner, action.due_on) == (
        child,
        Action.Nature.COVERT,
        owner,
        due,
    )


def test_the_form_offers_only_children_on_the_agenda(meeting, signed_in):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)
    elsewhere = ChildFactory()

    html = signed_in(meeting.group.chair).get(url("action_create", meeting)).content.decode()

    assert child.child_ref in html
    assert elsewhere.child_ref not in html
    assert child.full_name not in html


def test_action_errors_keep_the_answers(meeting, signed_in):
    uncleared = GroupMembershipFactory(group=meeting.group).user
    due = timezone.localdate() + timezone.timedelta(days=7)

    response = signed_in(meeting.group.chair).post(
        url("action_create", meeting),
        action_answers(due, nature="COVERT", owner=uncleared.pk, tactic=""),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select the disruption tactic" in html
    assert "Serve a closure notice" in html
    assert not Action.objects.exists()


def test_a_covert_owner_without_clearance_is_refused_at_the_field(meeting, signed_in):
    uncleared = GroupMembershipFactory(group=meeting.group).user
    due = timezone.localdate() + timezone.timedelta(days=7)

    response = signed_in(meeting.group.chair).post(
        url("action_create", meeting), action_answers(due, nature="COVERT", owner=uncleared.pk)
    )

    assert "must be the chair or a member of the group with covert" in response.content.decode()
    assert response.context["form"].errors["owner"]


# --- Opening and updating -------------------------------------------------------------------------
def test_an_immediate_action_is_opened_by_members_and_logged_with_its_child(meeting, signed_in):
    child = ChildFactory()
    action = ActionFactory(meeting=meeting, child=child)
    member = GroupMembershipFactory(group=meeting.group).user

    response = signed_in(member).get(url("action_detail", action))

    assert response.status_code == 200
    assert response.templates[0].name == "tasking/action_detail.html"
    assert AccessLogEntry.objects.get(object_id=str(action.pk)).child_id == child.pk


def test_the_owner_updates_their_action(meeting, signed_in):
    owner = GroupMembershipFactory(group=meeting.group).user
    action = ActionFactory(meeting=meeting, owner=owner)

    response = signed_in(owner).post(
        url("action_update", action), {"status": "DONE", "outcome": "Served", "version": "1"}
    )

    action.refresh_from_db()
    assert response.status_code == 302
    assert (action.status, action.outcome) == (Action.Status.DONE, "Served")


def test_a_stale_update_keeps_the_input(meeting, signed_in):
    action = ActionFactory(meeting=meeting)
    Action.objects.filter(pk=action.pk).update(version=2)

    response = signed_in(meeting.group.chair).post(
        url("action_update", action), {"status": "DONE", "outcome": "My outcome", "version": "1"}
    )

    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert "My outcome" in response.content.decode()
    assert str(response.context["form"].data["version"]) == "2"


def test_a_member_who_does_not_own_it_may_not_update(meeting, signed_in):
    action = ActionFactory(meeting=meeting)
    member = GroupMembershipFactory(group=meeting.group).user

    assert signed_in(member).get(url("action_update", action)).status_code == 403


def test_my_actions_lists_open_ones_i_own(signed_in, django_assert_max_num_queries):
    group = TaskingGroupFactory()
    owner = cleared_member(group).user
    mine = [ActionFactory(group=group, meeting=None, owner=owner) for _ in range(3)]
    CovertActionFactory(group=group, meeting=None, owner=owner)
    ActionFactory(group=group, meeting=None, owner=owner, status="DONE")
    ActionFactory(group=group, meeting=None)
    client = signed_in(owner)

    with django_assert_max_num_queries(15):
        response = client.get(url("my_actions"))

    assert len(response.context["page_obj"]) == 4
    assert set(mine) <= set(response.context["page_obj"])


def test_the_groups_actions(signed_in, django_assert_max_num_queries):
    group = TaskingGroupFactory()
    for _ in range(6):
        ActionFactory(group=group, meeting=None, child=ChildFactory())
    client = signed_in(group.chair)

    with django_assert_max_num_queries(15):
        response = client.get(url("group_actions", group))

    assert "Actions (6)" in response.content.decode()


# --- Escalations ----------------------------------------------------------------------------------
def test_the_chair_escalates_a_child_from_the_meeting(meeting, signed_in):
    child = ChildFactory()
    put_on_agenda(meeting, child=child)

    response = signed_in(meeting.group.chair).post(
        url("escalation_create", meeting),
        {"thing": f"child:{child.pk}", "reason": "Going missing with the same adults"},
    )

    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert (escalation.child, escalation.to_group) == (child, meeting.group.escalates_to)


def test_covert_actions_are_not_offered_for_escalation(meeting, signed_in):
    covert = CovertActionFactory(meeting=meeting)
    immediate = ActionFactory(meeting=meeting)

    response = signed_in(meeting.group.chair).get(url("escalation_create", meeting))

    choices = [key for key, _ in response.context["form"].fields["thing"].choices]
    assert f"action:{immediate.pk}" in choices
    assert f"action:{covert.pk}" not in choices


def test_escalating_needs_a_choice_and_a_reason(meeting, signed_in):
    response = signed_in(meeting.group.chair).post(url("escalation_create", meeting), {})

    html = response.content.decode()
    assert "Select what you are escalating" in html
    assert "Enter why you are escalating it" in html


def test_the_inbox_and_the_decision(signed_in):
    # given
    escalation = EscalationFactory(child=ChildFactory())
    client = signed_in(escalation.to_group.chair)

    # when
    inbox = client.get(url("escalation_list"))
    response = client.post(url("escalation_decide", escalation), {"outcome": "Refer to ROCU"})

    # then
    assert escalation.child.child_ref in inbox.content.decode()
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.status, escalation.outcome) == ("DECIDED", "Refer to ROCU")
    raising = signed_in(escalation.from_group.chair).get(url("escalation_list"))
    assert "Refer to ROCU" in raising.content.decode()


def test_a_decision_needs_an_outcome(signed_in):
    escalation = EscalationFactory(child=ChildFactory())

    response = signed_in(escalation.to_group.chair).post(url("escalation_decide", escalation), {})

    assert "Enter the outcome of the escalation" in response.content.decode()


def test_the_raising_chair_may_not_decide(signed_in):
    escalation = EscalationFactory(child=ChildFactory())

    response = signed_in(escalation.from_group.chair).get(url("escalation_decide", escalation))

    assert response.status_code == 403


def test_a_former_member_no_longer_finds_their_actions(signed_in):
    membership = GroupMembershipFactory()
    ActionFactory(group=membership.group, meeting=None, owner=membership.user)
    membership.left_on = timezone.localdate()
    membership.save()

    response = signed_in(membership.user).get(url("my_actions"))

    assert list(response.context["page_obj"]) == []
