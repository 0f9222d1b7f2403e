"""The agenda builder: each source of items, the tiers' scope, and re-drafting."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referrals.codes import RiskLevel
from risk_assessment.models import Assessment
from tasking.models import Action, AgendaItem, Escalation, SubjectOfConcern
from tasking.services.agenda import agenda_draft, cluster_counts
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import ReturnedEpisodeFactory, ReturnInterviewFactory
from tests.risk_assessment.factories_meetings import ApprovedAssessmentFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    GroupMembershipFactory,
    StrategicGroupFactory,
    SubjectOfConcernFactory,
    TaskingGroupFactory,
)
from tests.tasking.factories_meetings import (
    ActionFactory,
    AgendaItemFactory,
    CovertActionFactory,
    EscalationFactory,
    HeldMeetingFactory,
    TaskingMeetingFactory,
    in_days,
)

pytestmark = pytest.mark.django_db
Kind = AgendaItem.Kind


def draft(meeting):
    return agenda_draft(meeting=meeting, actor=meeting.group.chair)


def kinds(meeting, kind) -> list[AgendaItem]:
    return list(meeting.agenda_items.filter(kind=kind).order_by("position"))


@pytest.fixture
def meeting():
    """The next meeting of an operational group that last met ten days ago."""
    group = TaskingGroupFactory()
    HeldMeetingFactory(group=group, scheduled_for=in_days(-10))
    return TaskingMeetingFactory(group=group)


# --- Newly assessed High --------------------------------------------------------------------------
def test_high_assessment_since_the_last_meeting_is_proposed(meeting):
    # given
    today = timezone.localdate()
    new = ApprovedAssessmentFactory(completed_on=today - datetime.timedelta(days=3))
    ApprovedAssessmentFactory(completed_on=today - datetime.timedelta(days=12))  # before it met

    # when
    draft(meeting)

    # then
    (item,) = kinds(meeting, Kind.NEW_HIGH_RISK)
    assert item.child == new.child
    day = today - datetime.timedelta(days=3)
    assert item.title == f"{new.child.child_ref}: newly assessed High on {day.day} {day:%b %Y}"


@pytest.mark.parametrize(
    ("level", "status"),
    [
        (RiskLevel.MEDIUM, Assessment.Status.APPROVED),
        (RiskLevel.HIGH, Assessment.Status.SUBMITTED),
    ],
)
def test_medium_or_unapproved_assessments_are_not_proposed(meeting, level, status):
    ApprovedAssessmentFactory(level=level, status=status, completed_on=timezone.localdate())

    draft(meeting)

    assert kinds(meeting, Kind.NEW_HIGH_RISK) == []


def test_without_a_previous_meeting_the_cadence_window_counts():
    # given: a group meeting every 14 days that has never met
    meeting = TaskingMeetingFactory(group=TaskingGroupFactory(cadence_days=14))
    today = timezone.localdate()
    recent = ApprovedAssessmentFactory(completed_on=today - datetime.timedelta(days=13))
    ApprovedAssessmentFactory(completed_on=today - datetime.timedelta(days=20))

    # when
    draft(meeting)

    # then
    assert [item.child for item in kinds(meeting, Kind.NEW_HIGH_RISK)] == [recent.child]


def test_one_item_per_child_however_many_high_assessments(meeting):
    first = ApprovedAssessmentFactory(completed_on=timezone.localdate())
    ApprovedAssessmentFactory(
        child=first.child, completed_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    draft(meeting)

    assert len(kinds(meeting, Kind.NEW_HIGH_RISK)) == 1


# --- Repeat missing and overdue interviews --------------------------------------------------------
def test_children_who_triggered_repeat_missing_since_the_last_meeting(meeting):
    recent = ChildFactory(repeat_missing_since=in_days(-2))
    ChildFactory(repeat_missing_since=in_days(-30))

    draft(meeting)

    (item,) = kinds(meeting, Kind.REPEAT_MISSING)
    assert item.child == recent
    assert item.title.startswith(f"{recent.child_ref}: repeat missing since ")


def test_overdue_return_interviews_one_item_per_child(meeting):
    # given: two overdue episodes of one child, one on time, one interviewed
    child = ChildFactory()
    for days in (6, 5):
        ReturnedEpisodeFactory(child=child, started_at=in_days(-days))
    ReturnedEpisodeFactory(started_at=in_days(-1))
    ReturnInterviewFactory(episode=ReturnedEpisodeFactory(started_at=in_days(-8)))

    # when
    draft(meeting)

    # then
    (item,) = kinds(meeting, Kind.OVERDUE_RHI)
    assert item.child == child
    assert "return home interview overdue" in item.title


# --- Clusters -------------------------------------------------------------------------------------
def test_a_subject_linked_to_two_children_is_a_cluster(meeting):
    place = SubjectOfConcernFactory()
    ChildSubjectLinkFactory(subject=place)
    ChildSubjectLinkFactory(subject=place)
    ChildSubjectLinkFactory()  # another subject with one child

    draft(meeting)

    (item,) = kinds(meeting, Kind.CLUSTER)
    assert item.subject == place
    assert item.title == f"Place of concern SUB-{place.pk.hex[:8].upper()}: linked to 2 children"
    assert place.name not in item.title


def test_ended_links_and_the_same_child_twice_do_not_make_a_cluster(meeting):
    # given
    place = SubjectOfConcernFactory()
    child = ChildFactory()
    ChildSubjectLinkFactory(subject=place, child=child)
    ChildSubjectLinkFactory(subject=place, child=child)
    ChildSubjectLinkFactory(subject=place, ended_on=timezone.localdate())

    # when
    draft(meeting)

    # then
    assert kinds(meeting, Kind.CLUSTER) == []


def test_a_link_ending_in_the_future_still_counts():
    place = SubjectOfConcernFactory()
    ChildSubjectLinkFactory(subject=place)
    later = timezone.localdate() + datetime.timedelta(days=5)
    ChildSubjectLinkFactory(subject=place, ended_on=later)

    assert cluster_counts(2, timezone.localdate()) == {place.pk: 2}


def test_closed_subjects_are_not_clusters():
    place = SubjectOfConcernFactory(status=SubjectOfConcern.Status.CLOSED)
    ChildSubjectLinkFactory(subject=place)
    ChildSubjectLinkFactory(subject=place)

    assert cluster_counts(2, timezone.localdate()) == {}


def test_clusters_are_counted_in_one_grouped_query():
    place = SubjectOfConcernFactory()
    ChildSubjectLinkFactory(subject=place)
    ChildSubjectLinkFactory(subject=place)

    with CaptureQueriesContext(connection) as queries:
        counts = cluster_counts(2, timezone.localdate())

    assert counts == {place.pk: 2}
    (query,) = [q["sql"] for q in queries.captured_queries]
    assert "GROUP BY" in query
    assert "HAVING COUNT(DISTINCT" in query


# --- Actions due ----------------------------------------------------------------------------------
def test_the_groups_actions_due_within_a_week_or_overdue(meeting):
    # given
    today = timezone.localdate()
    soon = ActionFactory(group=meeting.group, due_on=today + datetime.timedelta(days=3))
    late = ActionFactory(group=meeting.group, due_on=today - datetime.timedelta(days=2))
    ActionFactory(group=meeting.group, due_on=today + datetime.timedelta(days=20))
    ActionFactory(group=meeting.group, due_on=today, status=Action.Status.DONE)
    ActionFactory(due_on=today)  # another group's
    CovertActionFactory(group=meeting.group, due_on=today)

    # when
    draft(meeting)

    # then: covert actions never go on an agenda
    items = kinds(meeting, Kind.ACTION_DUE)
    assert [item.action for item in items] == [late, soon]
    assert "overdue since" in items[0].title
    assert "(Locations of concern, Police)" in items[1].title


# --- Escalations ----------------------------------------------------------------------------------
def test_escalations_received_and_not_yet_decided():
    # given
    strategic = StrategicGroupFactory()
    meeting = TaskingMeetingFactory(group=strategic)
    below = TaskingGroupFactory(name="North operational group", escalates_to=strategic)
    child = ChildFactory()
    raised = EscalationFactory(from_group=below, to_group=strategic, child=child)
    carried = EscalationFactory(
        from_group=below, to_group=strategic, child=ChildFactory(), status="ON_AGENDA"
    )
    EscalationFactory(from_group=below, to_group=strategic, child=ChildFactory(), status="DECIDED")

    # when
    draft(meeting)

    # then
    items = kinds(meeting, Kind.ESCALATION)
    assert [item.escalation for item in items] == [raised, carried]
    assert items[0].title == f"Escalated from North operational group: {child.child_ref}"
    assert items[0].child == child


def test_the_outcome_of_an_escalation_comes_back_once(meeting):
    # given: an escalation this group raised, decided above
    child = ChildFactory()
    escalation = EscalationFactory(
        from_group=meeting.group,
        to_group=StrategicGroupFactory(),
        child=child,
        status=Escalation.Status.DECIDED,
        outcome="Refer to the regional organised crime unit",
        decided_on=timezone.localdate(),
    )

    # when
    draft(meeting)
    later = TaskingMeetingFactory(group=meeting.group, scheduled_for=in_days(21))
    draft(later)

    # then: on this agenda, not again on the one after
    (item,) = kinds(meeting, Kind.ESCALATION)
    assert item.escalation == escalation
    assert item.title.startswith(f"Outcome: escalation of {child.child_ref} to ")
    assert kinds(later, Kind.ESCALATION) == []


# --- Tiers ----------------------------------------------------------------------------------------
def test_strategic_agendas_draw_only_on_escalations_and_larger_clusters():
    # given: everything an operational agenda would pick up
    meeting = TaskingMeetingFactory(group=StrategicGroupFactory())
    ApprovedAssessmentFactory(completed_on=timezone.localdate())
    ChildFactory(repeat_missing_since=in_days(-1))
    ReturnedEpisodeFactory(started_at=in_days(-6))
    pair, three = SubjectOfConcernFactory(), SubjectOfConcernFactory()
    for subject, links in ((pair, 2), (three, 3)):
        for _ in range(links):
            ChildSubjectLinkFactory(subject=subject)

    # when
    draft(meeting)

    # then
    items = list(meeting.agenda_items.all())
    assert [(item.kind, item.subject) for item in items] == [(Kind.CLUSTER, three)]
    assert items[0].title.endswith("linked to 3 children")


# --- Re-drafting and who may draft ----------------------------------------------------------------
def test_drafting_again_adds_only_new_items_and_keeps_the_chairs_edits(meeting):
    # given: a first draft, the chair leaves an item off and adds one of their own
    first = ApprovedAssessmentFactory(completed_on=timezone.localdate())
    draft(meeting)
    AgendaItem.objects.filter(child=first.child).update(is_included=False, title="Reworded")
    AgendaItemFactory(meeting=meeting, position=999)
    second = ChildFactory(repeat_missing_since=in_days(-1))

    # when
    added = draft(meeting)

    # then
    assert [(item.kind, item.child) for item in added] == [(Kind.REPEAT_MISSING, second)]
    kept = AgendaItem.objects.get(meeting=meeting, child=first.child)
    assert (kept.is_included, kept.title) == (False, "Reworded")
    assert meeting.agenda_items.count() == 3
    assert added[0].position > 999


def test_titles_carry_references_not_names(meeting):
    child = ChildFactory(first_name="Zebedee", last_name="Quorn")
    ApprovedAssessmentFactory(child=child, completed_on=timezone.localdate())

    draft(meeting)

    titles = " ".join(meeting.agenda_items.values_list("title", flat=True))
    assert child.child_ref in titles
    assert "Zebedee" not in titles
    assert "Quorn" not in titles


@pytest.mark.parametrize("who", ["member", "other_chair", "manager"])
def test_only_the_groups_chair_drafts(meeting, who, admin_user):
    actor = {
        "member": lambda: GroupMembershipFactory(group=meeting.group).user,
        "other_chair": lambda: TaskingGroupFactory().chair,
        "manager": lambda: admin_user,
    }[who]()

    with pytest.raises(PermissionDenied):
        agenda_draft(meeting=meeting, actor=actor)


def test_a_published_agenda_is_not_drafted_again(meeting):
    meeting.status = meeting.Status.PUBLISHED
    meeting.save()

    with pytest.raises(ValidationError):
        draft(meeting)
