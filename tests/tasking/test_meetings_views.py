"""Meeting pages: planning, the chair's agenda pages, publishing, holding, attendance, minutes,
papers, and what members and outsiders get."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from cre_portal.audit.models import AccessLogEntry
from referrals.permissions.children import visible_children
from tasking.models import AgendaItem, TaskingMeeting
from tasking.services.groups import membership_end
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    GroupMembershipFactory,
    StrategicGroupFactory,
    TaskingGroupFactory,
)
from tests.tasking.factories_meetings import (
    ActionFactory,
    AgendaItemFactory,
    EscalationFactory,
    HeldMeetingFactory,
    PublishedMeetingFactory,
    TaskingMeetingFactory,
    in_days,
    put_on_agenda,
)

pytestmark = pytest.mark.django_db
Status = TaskingMeeting.Status


def url(name, obj):
    return reverse(f"tasking:{name}", args=[obj.pk])


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# --- A group's meetings and planning --------------------------------------------------------------
def test_the_groups_meetings_page(signed_in, django_assert_max_num_queries):
    group = TaskingGroupFactory()
    for days in range(5):
        HeldMeetingFactory(group=group, scheduled_for=in_days(-14 * (days + 1)))
    client = signed_in(group.chair)

    with django_assert_max_num_queries(20):
        response = client.get(url("meeting_list", group))

    assert response.status_code == 200
    assert response.templates[0].name == "tasking/meeting_list.html"
    assert len(response.context["page_obj"]) == 5


def test_a_social_worker_does_not_find_a_group(signed_in, social_worker):
    group = TaskingGroupFactory()

    assert signed_in(social_worker).get(url("meeting_list", group)).status_code == 404


def test_the_chair_plans_a_meeting(signed_in):
    group = TaskingGroupFactory()
    day = timezone.localdate() + timezone.timedelta(days=10)

    response = signed_in(group.chair).post(
        url("meeting_create", group),
        {
            "scheduled_on_0": day.day,
            "scheduled_on_1": day.month,
            "scheduled_on_2": day.year,
            "scheduled_time": "10:00",
            "location": "Room 2",
        },
    )

    meeting = TaskingMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", meeting)


def test_planning_errors_keep_the_answers(signed_in):
    group = TaskingGroupFactory()

    response = signed_in(group.chair).post(
        url("meeting_create", group), {"scheduled_time": "25:00", "location": "Room 2"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Error: " in html
    assert "Enter the date of the meeting" in html
    assert "Enter the time of the meeting in the 24-hour clock, like 21:30" in html
    assert 'value="Room 2"' in html


def test_a_member_may_not_plan(signed_in):
    group = TaskingGroupFactory()
    member = GroupMembershipFactory(group=group).user

    assert signed_in(member).get(url("meeting_create", group)).status_code == 403


def test_moving_a_meeting_someone_else_moved_keeps_the_input(signed_in):
    # given: the chair opened the form at version 1; someone saved since
    meeting = TaskingMeetingFactory()
    TaskingMeeting.objects.filter(pk=meeting.pk).update(version=2)
    day = timezone.localdate() + timezone.timedelta(days=9)

    # when
    response = signed_in(meeting.group.chair).post(
        url("meeting_edit", meeting),
        {
            "scheduled_on_0": day.day,
            "scheduled_on_1": day.month,
            "scheduled_on_2": day.year,
            "scheduled_time": "11:15",
            "location": "The library",
            "version": 1,
        },
    )

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it" in html
    assert 'value="The library"' in html
    assert str(response.context["form"].data["version"]) == "2"


# --- The agenda -----------------------------------------------------------------------------------
def test_the_chair_drafts_and_sees_why_each_item_was_proposed(signed_in):
    meeting = TaskingMeetingFactory()
    ChildFactory(repeat_missing_since=in_days(-1))
    client = signed_in(meeting.group.chair)

    response = client.post(url("agenda_draft", meeting), follow=True)

    html = response.content.decode()
    assert "1 new item(s) proposed from the data" in html
    assert "Met the repeat-missing rule since the group last met" in html


def test_members_see_the_agenda_only_once_published(signed_in):
    meeting = TaskingMeetingFactory()
    AgendaItemFactory(meeting=meeting, title="C100999: on the draft")
    member = signed_in(GroupMembershipFactory(group=meeting.group).user)

    draft = member.get(url("meeting_detail", meeting)).content.decode()
    meeting.status = Status.PUBLISHED
    meeting.save()
    published = member.get(url("meeting_detail", meeting)).content.decode()

    assert "C100999" not in draft
    assert "The chair is preparing the agenda" in draft
    assert "C100999: on the draft" in published


def test_opening_a_meeting_is_logged(signed_in):
    meeting = PublishedMeetingFactory()

    signed_in(meeting.group.chair).get(url("meeting_detail", meeting))

    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.child_id) == (
        "tasking.taskingmeeting",
        str(meeting.pk),
        None,
    )


def test_changing_an_item(signed_in):
    meeting = TaskingMeetingFactory()
    first, second = AgendaItemFactory(meeting=meeting), AgendaItemFactory(meeting=meeting)

    response = signed_in(meeting.group.chair).post(
        url("agenda_item_edit", second),
        {"title": "Reworded", "is_included": "no", "number": "1", "version": "1"},
    )

    assert response.status_code == 302
    assert list(meeting.agenda_items.order_by("position")) == [second, first]


def test_changing_an_item_on_a_stale_agenda_keeps_the_input(signed_in):
    meeting = TaskingMeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    TaskingMeeting.objects.filter(pk=meeting.pk).update(version=3)

    response = signed_in(meeting.group.chair).post(
        url("agenda_item_edit", item),
        {"title": "My wording", "is_included": "yes", "number": "1", "version": "1"},
    )

    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert 'value="My wording"' in response.content.decode()
    item.refresh_from_db()
    assert item.title != "My wording"


def test_adding_an_item_needs_a_title(signed_in):
    meeting = TaskingMeetingFactory()

    response = signed_in(meeting.group.chair).post(url("agenda_item_add", meeting), {"title": ""})

    assert "Enter the title of the item" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_publishing_an_empty_agenda_says_why_not(signed_in):
    meeting = TaskingMeetingFactory()

    response = signed_in(meeting.group.chair).post(url("agenda_publish", meeting))

    assert response.status_code == 200
    assert "Add at least one item to the agenda before publishing it" in response.content.decode()


def test_a_member_cannot_open_the_chairs_pages(signed_in):
    meeting = TaskingMeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    member = signed_in(GroupMembershipFactory(group=meeting.group).user)

    assert member.get(url("agenda_publish", meeting)).status_code == 403
    assert member.post(url("agenda_draft", meeting)).status_code == 403
    # a draft item is not even visible to them
    assert member.get(url("agenda_item_edit", item)).status_code == 404


def test_publish_hold_attendance_and_minutes(signed_in):
    # given
    meeting = PublishedMeetingFactory(status=Status.PLANNED, agenda_published_at=None)
    item = AgendaItemFactory(meeting=meeting)
    member = GroupMembershipFactory(group=meeting.group).user
    client = signed_in(meeting.group.chair)

    # when
    client.post(url("agenda_publish", meeting))
    client.post(url("meeting_attendance", meeting), {"attended": [str(member.pk)]})
    client.post(url("agenda_item_minutes", item), {"minutes": "Police to visit the flat"})
    response = client.post(url("meeting_hold", meeting), follow=True)

    # then
    meeting.refresh_from_db()
    assert meeting.status == Status.HELD
    html = response.content.decode()
    assert "The meeting has been recorded as held" in html
    assert "Police to visit the flat" in html
    assert f"{member.display_name}: attended" in html


# --- Papers ---------------------------------------------------------------------------------------
def test_the_agenda_as_pdf_is_a_logged_download_named_without_names(signed_in):
    meeting = PublishedMeetingFactory()
    child = ChildFactory()
    put_on_agenda(meeting, child=child)

    response = signed_in(meeting.group.chair).get(url("agenda_pdf", meeting))

    assert response.content[:5] == b"%PDF-"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="tasking-agenda-')
    assert child.full_name not in disposition
    assert "no-store" in response["Cache-Control"]
    logged = AccessLogEntry.objects.filter(action="DOWNLOAD")
    assert logged.filter(object_type="tasking.taskingmeeting").count() == 1


def test_names_only_for_those_who_may_open_the_childs_record(signed_in, team):
    # given: a shared child and one the partner never gets (on an item left off)
    meeting = PublishedMeetingFactory()
    child = ChildFactory(team=team)
    put_on_agenda(meeting, child=child)
    stranger = ChildFactory()
    AgendaItemFactory(meeting=meeting, child=stranger, title=f"{stranger.child_ref}: x")
    partner = GroupMembershipFactory(group=meeting.group).user

    # when
    text = docx_text(signed_in(partner).get(url("agenda_docx", meeting)).content)

    # then: the shared child by name and reference, the other by reference only
    assert f"{child.child_ref}, {child.full_name}" in text
    assert stranger.child_ref in text
    assert stranger.full_name not in text
    named = AccessLogEntry.objects.filter(action="DOWNLOAD", child_id=child.pk)
    assert named.count() == 1


def test_a_restricted_child_is_named_only_after_breaking_glass(signed_in):
    meeting = PublishedMeetingFactory()
    child = ChildFactory(is_restricted=True)
    put_on_agenda(meeting, child=child)
    partner = GroupMembershipFactory(group=meeting.group).user

    text = docx_text(signed_in(partner).get(url("agenda_docx", meeting)).content)

    assert child.child_ref in text
    assert child.full_name not in text


def test_a_partner_loses_sight_of_an_agenda_child_after_leaving(signed_in, admin_user):
    # given: a partner sees the child on their group's published agenda
    meeting = PublishedMeetingFactory()
    child = ChildFactory()
    put_on_agenda(meeting, child=child)
    membership = GroupMembershipFactory(group=meeting.group)
    partner = membership.user
    client = signed_in(partner)
    assert client.get(reverse("referrals:child_detail", args=[child.pk])).status_code == 200

    # when: they leave the group
    membership_end(membership=membership, actor=admin_user)

    # then: the child, the meeting and its papers are gone for them
    assert not visible_children(partner).filter(pk=child.pk).exists()
    assert client.get(reverse("referrals:child_detail", args=[child.pk])).status_code == 404
    assert client.get(url("meeting_detail", meeting)).status_code == 404
    assert client.get(url("agenda_docx", meeting)).status_code == 404


def test_the_meeting_page_reads_a_long_agenda_in_few_queries(
    signed_in, django_assert_max_num_queries
):
    meeting = PublishedMeetingFactory()
    for _ in range(12):
        put_on_agenda(meeting, child=ChildFactory())
    for item in meeting.agenda_items.all()[:6]:
        ActionFactory(meeting=meeting, child=item.child)
    client = signed_in(meeting.group.chair)

    with django_assert_max_num_queries(25):
        response = client.get(url("meeting_detail", meeting))

    assert len(response.context["rows"]) == 12
    assert len(response.context["actions"]) == 6


def test_the_escalations_inbox_in_few_queries(signed_in, django_assert_max_num_queries):
    strategic = StrategicGroupFactory()
    for _ in range(8):
        EscalationFactory(
            from_group=TaskingGroupFactory(escalates_to=strategic),
            to_group=strategic,
            child=ChildFactory(),
        )
    client = signed_in(strategic.chair)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("tasking:escalation_list"))

    assert len(response.context["received"]) == 8
