import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from risk_assessment.models import MeetingAction
from risk_assessment.services import meetings as services
from tests.accounts.factories import UserFactory
from tests.risk_assessment.factories_meetings import (
    HeldMeetingFactory,
    HighRiskChildFactory,
    MeetingActionFactory,
    ProfessionalsMeetingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(social_worker):
    return HighRiskChildFactory(team=social_worker.team, allocated_worker=social_worker)


@pytest.fixture
def meeting(child):
    return ProfessionalsMeetingFactory(child=child)


# --- Actions ------------------------------------------------------------------------------------
def add_action(meeting, actor, **overrides):
    details = {
        "description": "Arrange a mentor.",
        "owner": None,
        "owner_name": "Sam Patel, Northshire Police",
        "due_on": timezone.localdate() + datetime.timedelta(days=14),
    }
    return services.action_add(meeting=meeting, actor=actor, **{**details, **overrides})


def test_add_an_action_to_a_held_meeting(child, social_worker):
    meeting = HeldMeetingFactory(child=child)

    action = add_action(meeting, social_worker)

    assert (action.status, action.owner, action.owner_name) == (
        "OPEN",
        None,
        "Sam Patel, Northshire Police",
    )
    event = CaseEvent.objects.get(verb="action_created")
    assert (event.category, event.object_id) == ("ACTION", str(action.pk))
    assert "Sam Patel" not in event.summary


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": " "}, "description", "Enter what needs to be done"),
        (
            {"owner_name": ""},
            "owner",
            "Select who owns the action, or enter the name of someone else",
        ),
        (
            {"owner": "colleague"},
            "owner_name",
            "Select an owner or enter the name of someone else, not both",
        ),
        (
            {"due_on": datetime.date(2020, 1, 1)},
            "due_on",
            "The due date must be today or in the future",
        ),
    ],
)
def test_add_action_guards(child, social_worker, overrides, field, message):
    meeting = HeldMeetingFactory(child=child)
    if overrides.get("owner") == "colleague":
        overrides["owner"] = social_worker

    with pytest.raises(ValidationError) as excinfo:
        add_action(meeting, social_worker, **overrides)

    assert excinfo.value.message_dict == {field: [message]}


def test_actions_come_only_from_held_meetings(meeting, social_worker):
    with pytest.raises(ValidationError, match="recorded as held"):
        add_action(meeting, social_worker)


def test_complete_an_action(child, social_worker):
    action = MeetingActionFactory(meeting=HeldMeetingFactory(child=child))

    services.action_complete(action=action, actor=social_worker)

    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("DONE", timezone.localdate())
    event = CaseEvent.objects.get(verb="action_completed")
    assert event.category == "ACTION"
    with pytest.raises(ValidationError, match="already done"):
        services.action_complete(action=action, actor=social_worker)


def test_cancel_an_action(child, social_worker):
    action = MeetingActionFactory(meeting=HeldMeetingFactory(child=child))

    services.action_cancel(action=action, actor=social_worker)

    assert MeetingAction.objects.get().status == "CANCELLED"
    assert CaseEvent.objects.filter(verb="action_cancelled", category="ACTION").exists()


def test_the_owner_may_complete_their_action_without_booking_rights(child):
    # given: a missing-team officer (sees every child, may not book) owns the action
    owner = UserFactory(roles=[Role.MISSING_OFFICER])
    other = UserFactory(roles=[Role.MISSING_OFFICER])
    action = MeetingActionFactory(meeting=HeldMeetingFactory(child=child), owner=owner)

    # then
    with pytest.raises(PermissionDenied):
        services.action_complete(action=action, actor=other)
    services.action_complete(action=action, actor=owner)
