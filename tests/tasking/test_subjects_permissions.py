"""Who sees which subject of concern, over every role, written out by hand."""

import pytest

from cre_portal.accounts.roles import Role
from referrals.models import ChildShare
from tasking.models import TaskingMeeting
from tasking.permissions.subjects import (
    can_end_association,
    can_end_child_link,
    can_record_subject,
    visible_child_links,
    visible_subjects,
)
from tasking.services.groups import membership_end
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    GroupMembershipFactory,
    SubjectAssociationFactory,
    SubjectOfConcernFactory,
    TaskingGroupFactory,
)
from tests.tasking.factories_meetings import (
    PublishedMeetingFactory,
    TaskingMeetingFactory,
    put_on_agenda,
)

pytestmark = pytest.mark.django_db

NO_ROLE, OTHER_TEAM = "no role", "other team social worker"
PERSONAS = [*(role.value for role in Role), NO_ROLE, OTHER_TEAM]
SEES_EVERY_SUBJECT = {Role.SERVICE_MANAGER, Role.CP_MANAGER, Role.MISSING_OFFICER}
# On a published agenda and linked to a team-A child allocated to the team-A social worker.
SEES_SHARED_SUBJECT = {
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    *SEES_EVERY_SUBJECT,
    Role.TASKING_CHAIR,
    Role.PARTNER_MEMBER,
}
# Linked only to a team-B child, on no agenda.
SEES_OTHER_TEAMS_SUBJECT = {*SEES_EVERY_SUBJECT, OTHER_TEAM}
# Recorded by the team-A social worker, linked to nobody, on no agenda.
SEES_UNLINKED_SUBJECT = {Role.SOCIAL_WORKER, *SEES_EVERY_SUBJECT}
RECORDS_SUBJECTS = {
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    *SEES_EVERY_SUBJECT,
    Role.TASKING_CHAIR,
    Role.PARTNER_MEMBER,
    OTHER_TEAM,
}


@pytest.fixture
def world(team, other_team):
    users = {role.value: UserFactory(team=team, roles=[role]) for role in Role}
    users[NO_ROLE] = UserFactory(team=team)
    users[OTHER_TEAM] = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    group = TaskingGroupFactory(chair=users[Role.TASKING_CHAIR])
    GroupMembershipFactory(group=group, user=users[Role.PARTNER_MEMBER])
    child_a = ChildFactory(team=team, allocated_worker=users[Role.SOCIAL_WORKER])
    child_b = ChildFactory(team=other_team)
    shared = ChildSubjectLinkFactory(child=child_a).subject
    put_on_agenda(PublishedMeetingFactory(group=group), child=child_a, subject=shared)
    subjects = {
        "shared": shared,
        "other": ChildSubjectLinkFactory(child=child_b).subject,
        "unlinked": SubjectOfConcernFactory(created_by=users[Role.SOCIAL_WORKER]),
    }
    return users, subjects, group


def seen_by(users, subject) -> set:
    return {p for p, user in users.items() if visible_subjects(user).filter(pk=subject.pk).exists()}


def test_who_sees_a_subject_shared_on_an_agenda(world):
    users, subjects, _group = world

    assert seen_by(users, subjects["shared"]) == SEES_SHARED_SUBJECT


def test_who_sees_a_subject_linked_only_to_another_teams_child(world):
    users, subjects, _group = world

    assert seen_by(users, subjects["other"]) == SEES_OTHER_TEAMS_SUBJECT


def test_a_subject_linked_to_nobody_is_seen_by_its_creator_and_those_who_see_every_child(world):
    users, subjects, _group = world

    assert seen_by(users, subjects["unlinked"]) == SEES_UNLINKED_SUBJECT


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_records_subjects(world, persona):
    users, _subjects, _group = world

    assert can_record_subject(users[persona]) == (persona in RECORDS_SUBJECTS)


def test_a_draft_agenda_shares_nothing(world):
    users, _subjects, group = world
    draft = SubjectOfConcernFactory()
    put_on_agenda(TaskingMeetingFactory(group=group), subject=draft)

    assert seen_by(users, draft) == SEES_EVERY_SUBJECT


def test_a_dropped_agenda_item_shares_nothing(world):
    users, _subjects, group = world
    dropped = SubjectOfConcernFactory()
    put_on_agenda(PublishedMeetingFactory(group=group), subject=dropped, is_included=False)

    assert seen_by(users, dropped) == SEES_EVERY_SUBJECT


def test_a_held_meetings_agenda_stays_shared(world):
    users, _subjects, group = world
    subject = SubjectOfConcernFactory()
    meeting = PublishedMeetingFactory(group=group)
    put_on_agenda(meeting, subject=subject)
    TaskingMeeting.objects.filter(pk=meeting.pk).update(status=TaskingMeeting.Status.HELD)

    assert Role.PARTNER_MEMBER in seen_by(users, subject)


def test_a_partner_who_leaves_the_group_stops_seeing_its_subjects(world):
    users, subjects, group = world
    partner = users[Role.PARTNER_MEMBER]

    membership_end(membership=group.memberships.get(user=partner), actor=users[Role.ADMINISTRATOR])

    assert not visible_subjects(partner).filter(pk=subjects["shared"].pk).exists()


def test_a_deactivated_user_sees_nothing(world):
    users, _subjects, _group = world
    manager = users[Role.SERVICE_MANAGER]
    manager.is_active = False

    assert not visible_subjects(manager).exists()
    assert not can_record_subject(manager)


def test_links_are_seen_when_both_child_and_subject_are(world, team):
    users, subjects, group = world
    link = subjects["shared"].child_links.get()

    sees_link = {p for p, u in users.items() if visible_child_links(u).filter(pk=link.pk).exists()}

    # The chair and the partner see the child because the agenda shared it with the group.
    assert ChildShare.objects.filter(child=link.child, audience=f"tasking:{group.pk}").exists()
    assert sees_link == SEES_SHARED_SUBJECT
    assert can_end_child_link(users[Role.PARTNER_MEMBER], link)
    assert not can_end_child_link(users[Role.ANALYST], link)


def test_associations_are_ended_by_those_who_see_both_subjects(world):
    users, subjects, _group = world
    association = SubjectAssociationFactory(subject=subjects["shared"], other=subjects["other"])

    enders = {p for p, u in users.items() if can_end_association(u, association)}

    assert enders == SEES_EVERY_SUBJECT


def test_visible_subjects_is_one_query_once_permissions_are_loaded(
    world, django_assert_num_queries
):
    users, _subjects, _group = world
    partner = users[Role.PARTNER_MEMBER]
    partner.get_all_permissions()

    with django_assert_num_queries(1):
        list(visible_subjects(partner))
