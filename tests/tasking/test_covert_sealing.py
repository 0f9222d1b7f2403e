"""Covert actions are sealed: only the group's chair and its CURRENT members with covert clearance
know one exists. Everyone else, whatever their role (administrator and superuser included),
sees nothing of it: not on list pages, detail pages (404), counts, agenda papers, "my actions",
the chronology or Django admin.
"""

import io

import pytest
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from docx import Document

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry, CaseEvent
from tasking.documents.agenda_content import agenda_document
from tasking.models import Action, AgendaItem, Escalation
from tasking.permissions.actions import visible_actions
from tasking.services.actions import action_create
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import GroupMembershipFactory, TaskingGroupFactory
from tests.tasking.factories_meetings import (
    ActionFactory,
    CovertActionFactory,
    PublishedMeetingFactory,
    cleared_member,
    put_on_agenda,
)

pytestmark = pytest.mark.django_db
SECRET = "Station Hotel"  # only in the covert action's description and detail


@pytest.fixture
def world(team):
    """A published meeting about a team child, one immediate and one covert action."""
    group = TaskingGroupFactory()
    meeting = PublishedMeetingFactory(group=group)
    child = ChildFactory(team=team)
    put_on_agenda(meeting, child=child)
    cleared = cleared_member(group).user
    uncleared = GroupMembershipFactory(group=group).user
    former = cleared_member(group, left_on=timezone.localdate()).user
    immediate = ActionFactory(meeting=meeting, child=child, owner=uncleared)
    covert = CovertActionFactory(
        meeting=meeting,
        child=child,
        owner=uncleared,  # cleared when it was agreed; has lost clearance since
        description=f"Guest information request for the {SECRET}",
        tactic_detail=f"{SECRET} request",
    )
    return {
        "group": group,
        "meeting": meeting,
        "child": child,
        "immediate": immediate,
        "covert": covert,
        "chair": group.chair,
        "cleared": cleared,
        "uncleared": uncleared,
        "former": former,
    }


def _outsiders(world, team) -> dict:
    """Everyone who must not know of the covert action."""
    people = {role.value: UserFactory(team=team, roles=[role]) for role in Role}
    people["administrator"] = UserFactory(team=None, is_staff=True, roles=[Role.ADMINISTRATOR])
    people["superuser"] = UserFactory(team=None, is_staff=True, is_superuser=True)
    people["no role"] = UserFactory(team=team)
    people["uncleared member (and owner)"] = world["uncleared"]
    people["former cleared member"] = world["former"]
    people["chair of another group"] = TaskingGroupFactory().chair
    return people


OUTSIDERS = [
    *(role.value for role in Role),
    "superuser",
    "no role",
    "uncleared member (and owner)",
    "former cleared member",
    "chair of another group",
]


@pytest.fixture
def outsider(request, world, team):
    return _outsiders(world, team)[request.param]


def _pages(world) -> list[str]:
    group, meeting = world["group"], world["meeting"]
    return [
        reverse("tasking:meeting_list", args=[group.pk]),
        reverse("tasking:group_actions", args=[group.pk]),
        reverse("tasking:meeting_detail", args=[meeting.pk]),
        reverse("tasking:my_actions"),
        reverse("referrals:child_chronology", args=[world["child"].pk]),
    ]


@pytest.mark.parametrize("outsider", OUTSIDERS, indirect=True)
def test_outsiders_see_nothing_of_a_covert_action(world, outsider, signed_in):
    # given
    client = signed_in(outsider)
    covert = world["covert"]

    # then: not in the scope
    assert not visible_actions(outsider).filter(pk=covert.pk).exists()
    # its pages do not exist for them
    for name in ("tasking:action_detail", "tasking:action_update"):
        assert client.get(reverse(name, args=[covert.pk])).status_code == 404
    # nothing of it on any page they can open, counts included
    for url in _pages(world):
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
        assert str(covert.pk) not in response.content.decode(), url


@pytest.mark.parametrize("who", ["chair", "cleared"])
def test_the_chair_and_cleared_members_see_it_and_each_opening_is_logged(world, who, signed_in):
    # given
    client = signed_in(world[who])
    covert = world["covert"]

    # when
    response = client.get(reverse("tasking:action_detail", args=[covert.pk]))

    # then: logged, but not against the child (the child's log must not reveal it)
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    entry = AccessLogEntry.objects.get(object_id=str(covert.pk))
    assert (entry.user, entry.object_type, entry.child_id) == (world[who], "tasking.action", None)
    listed = client.get(reverse("tasking:group_actions", args=[world["group"].pk]))
    assert "Actions (2)" in listed.content.decode()


def test_counts_leave_it_out(world, signed_in):
    partner = signed_in(world["uncleared"])

    listed = partner.get(reverse("tasking:group_actions", args=[world["group"].pk]))
    meeting = partner.get(reverse("tasking:meeting_detail", args=[world["meeting"].pk]))
    group = partner.get(reverse("tasking:meeting_list", args=[world["group"].pk]))

    assert "Actions (1)" in listed.content.decode()
    assert "Actions agreed (1)" in meeting.content.decode()
    assert "1 open action" in group.content.decode()


def test_the_uncleared_owner_does_not_find_it_in_my_actions(world, signed_in):
    response = signed_in(world["uncleared"]).get(reverse("tasking:my_actions"))

    assert list(response.context["page_obj"]) == [world["immediate"]]


@pytest.mark.parametrize("who", ["chair", "cleared", "uncleared"])
def test_agenda_papers_never_print_covert_actions(world, who, signed_in):
    # given
    viewer, meeting = world[who], world["meeting"]

    # when
    document = agenda_document(meeting, viewer=viewer, opened=[], today=timezone.localdate())
    html = render_to_string("documents/tasking_agenda.html", {"doc": document})
    word = signed_in(viewer).get(reverse("tasking:agenda_docx", args=[meeting.pk]))

    # then
    assert [row.tactic for row in document.actions] == ["Locations of concern: Closure notice"]
    assert SECRET not in html
    text = "\n".join(
        [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
        + [
            cell.text
            for table in Document(io.BytesIO(word.content)).tables
            for row in table.rows
            for cell in row.cells
        ]
    )
    assert "Closure notice" in text
    assert SECRET not in text


def test_covert_actions_never_go_on_the_chronology(world):
    # given: one agreed through the service
    meeting, child = world["meeting"], world["child"]
    covert = action_create(
        meeting=meeting,
        actor=world["chair"],
        description="Watch the address",
        tactic="LOCATIONS",
        tactic_detail="",
        nature=Action.Nature.COVERT,
        owner_agency="POLICE",
        owner=world["cleared"],
        due_on=timezone.localdate(),
        child=child,
    )

    # then
    assert not CaseEvent.objects.filter(object_id=str(covert.pk)).exists()
    assert not CaseEvent.objects.filter(object_type="tasking.action", child_id=child.pk).exists()


def test_covert_actions_are_never_on_agendas_or_escalated(world):
    covert = world["covert"]

    assert not AgendaItem.objects.filter(action=covert).exists()
    assert not Escalation.objects.filter(action=covert).exists()


def test_covert_capable_models_are_not_in_django_admin():
    # A superuser passes every Django admin check, so the only seal there is not registering.
    for model in (Action, AgendaItem, Escalation):
        assert not admin.site.is_registered(model), model


def test_no_history_admin_can_show_a_covert_action_to_a_superuser(signed_in):
    # pghistory's Events admin would list every tracked row, covert action diffs included,
    # so it is not installed at all.
    response = signed_in(UserFactory(is_staff=True, is_superuser=True)).get(reverse("admin:index"))

    assert response.status_code == 200
    assert "pghistory" not in response.content.decode()
    with pytest.raises(NoReverseMatch):
        reverse("admin:pghistory_events_changelist")
