import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from cre_portal.timescales import LONDON
from referrals.record_access import BREAK_GLASS_SESSION_KEY
from risk_assessment.models import MeetingAction, ProfessionalsMeeting
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_meetings import (
    ApprovedAssessmentFactory,
    ExternalAttendeeFactory,
    HeldMeetingFactory,
    HighRiskChildFactory,
    MeetingActionFactory,
    ProfessionalsMeetingFactory,
    StartedMeetingFactory,
    cp_manager,
    in_days,
    service_manager,
)

pytestmark = pytest.mark.django_db

HIGH_CHAIR = "The chair of a meeting about a child at high risk must be a child protection manager"


@pytest.fixture
def child(social_worker):
    return HighRiskChildFactory(
        team=social_worker.team, allocated_worker=social_worker, first_name="Jordan"
    )


@pytest.fixture
def worker(signed_in, social_worker):
    """The test client, signed in as the child's social worker."""
    return signed_in(social_worker)


def text(response):
    return " ".join(response.content.decode().split())


def templates(response):
    return [t.name for t in response.templates]


def booking_data(chair, moment=None, **overrides):
    local = (moment or in_days(7)).astimezone(LONDON)
    data = {
        "scheduled_on_0": str(local.day),
        "scheduled_on_1": str(local.month),
        "scheduled_on_2": str(local.year),
        "scheduled_time": "14:30",
        "location": "Room 2, County Hall",
        "chair": str(chair.pk),
        "child_invited": "yes",
        "parents_invited": "no",
    }
    return {**data, **overrides}


def url(name, obj):
    return reverse(f"risk_assessment:{name}", args=[obj.pk])


# --- The Meetings tab ---------------------------------------------------------------------------
def test_meetings_tab_lists_meetings_and_logs_the_read(
    worker, social_worker, child, django_assert_max_num_queries
):
    ProfessionalsMeetingFactory.create_batch(3, child=child)

    with django_assert_max_num_queries(20):
        response = worker.get(url("child_meetings", child))

    assert response.status_code == 200
    assert "risk_assessment/child_meetings.html" in templates(response)
    assert "3 meetings" in text(response)
    assert "Book a professionals' meeting" in text(response)
    assert "A child protection manager chairs meetings about this child" in text(response)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id) == (social_worker, child.pk)


def test_meetings_tab_of_a_child_without_a_level_offers_no_booking(worker, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = worker.get(url("child_meetings", child))

    assert "no approved risk assessment yet" in text(response)
    assert reverse("risk_assessment:meeting_book", args=[child.pk]) not in text(response)


def test_meetings_tab_of_another_teams_child_is_404(worker, other_team):
    response = worker.get(url("child_meetings", ChildFactory(team=other_team)))

    assert response.status_code == 404


# --- Booking ------------------------------------------------------------------------------------
def test_booking_form_lists_only_eligible_chairs(worker, child):
    cp = cp_manager(full_name="Ann Chair")
    service_manager(full_name="Bo Service")
    cp_manager(full_name="Cy Gone", is_active=False)

    response = worker.get(url("meeting_book", child))

    assert response.status_code == 200
    assert "risk_assessment/meeting_book.html" in templates(response)
    page = text(response)
    assert f'<option value="{cp.pk}">Ann Chair</option>' in page
    assert "Bo Service" not in page
    assert "Cy Gone" not in page
    assert "a child protection manager must chair the meeting" in page


def test_booking_with_a_service_manager_for_a_high_risk_child_is_refused_at_the_chair(
    worker, child
):
    chair = service_manager()

    response = worker.post(url("meeting_book", child), booking_data(chair, location="Room 7"))

    assert response.status_code == 200
    page = text(response)
    assert f'<a href="#id_chair">{HIGH_CHAIR}</a>' in page
    assert 'value="Room 7"' in page
    assert "<title>Error: " in page
    assert not ProfessionalsMeeting.objects.exists()


def test_booking_a_meeting(worker, child):
    chair = cp_manager()

    response = worker.post(url("meeting_book", child), booking_data(chair))

    meeting = ProfessionalsMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", meeting)
    local = meeting.scheduled_for.astimezone(LONDON)
    assert (local.hour, local.minute, meeting.chair, meeting.child_invited) == (14, 30, chair, True)


def test_booking_form_errors_keep_the_input(worker, child):
    response = worker.post(
        url("meeting_book", child), booking_data(cp_manager(), scheduled_time="25:00", location="")
    )

    page = text(response)
    assert "Enter the time of the meeting in the 24-hour clock, like 21:30" in page
    assert "Enter where the meeting will be held" in page
    assert 'value="25:00"' in page


def test_booking_in_the_past_is_refused_at_the_date(worker, child):
    yesterday = timezone.now() - datetime.timedelta(days=1)

    response = worker.post(url("meeting_book", child), booking_data(cp_manager(), yesterday))

    assert "The date and time of the meeting must be in the future" in text(response)


def test_booking_for_a_child_without_a_level_goes_back_to_the_tab(worker, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = worker.get(url("meeting_book", child), follow=True)

    assert response.redirect_chain[-1][0] == url("child_meetings", child)
    assert "Complete and approve a risk assessment first" in text(response)


def test_a_missing_officer_may_not_book(signed_in, child):
    officer = UserFactory(roles=[Role.MISSING_OFFICER])

    response = signed_in(officer).get(url("meeting_book", child))

    assert response.status_code == 403


def test_booking_from_an_assessment_shows_it_and_links_it(worker, child):
    assessment = ApprovedAssessmentFactory(child=child)

    page = worker.get(url("meeting_book_from_assessment", assessment))
    response = worker.post(
        url("meeting_book_from_assessment", assessment), booking_data(cp_manager())
    )

    assert assessment.assessment_ref in text(page)
    assert response.status_code == 302
    assert ProfessionalsMeeting.objects.get().assessment == assessment


def test_booking_from_a_low_assessment_is_404(worker, child):
    assessment = ApprovedAssessmentFactory(child=child, level="LOW")

    assert worker.get(url("meeting_book_from_assessment", assessment)).status_code == 404


# --- The meeting page ---------------------------------------------------------------------------
def test_meeting_page_shows_attendees_actions_and_papers_and_logs_the_read(
    worker, social_worker, child
):
    meeting = HeldMeetingFactory(child=child)
    ExternalAttendeeFactory(meeting=meeting, name="Sam Patel", agency="Northshire Police")
    MeetingActionFactory(meeting=meeting, description="Visit the address")

    response = worker.get(url("meeting_detail", meeting))

    assert response.status_code == 200
    page = text(response)
    assert "Sam Patel" in page
    assert "Visit the address" in page
    assert "Mark as done" in page
    assert url("meeting_minutes_pdf", meeting) in page
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id) == (
        "risk_assessment.professionalsmeeting",
        str(meeting.pk),
    )


def test_meeting_of_another_team_is_404(worker, other_team):
    meeting = HeldMeetingFactory(child=HighRiskChildFactory(team=other_team))

    assert worker.get(url("meeting_detail", meeting)).status_code == 404


def test_meeting_of_a_restricted_child_asks_to_break_glass(worker, child):
    child.is_restricted = True
    child.save()
    meeting = HeldMeetingFactory(child=child)

    response = worker.get(url("meeting_detail", meeting))
    download = worker.get(url("meeting_agenda_pdf", meeting))

    assert response.status_code == 302
    assert reverse("referrals:child_break_glass", args=[child.pk]) in response["Location"]
    assert download.status_code == 302
    assert not AccessLogEntry.objects.exists()


# --- Editing, recording, cancelling -------------------------------------------------------------
def test_edit_from_a_stale_form_keeps_the_input_and_says_what_changed(worker, child):
    meeting = ProfessionalsMeetingFactory(child=child)
    ProfessionalsMeeting.objects.filter(pk=meeting.pk).update(version=2)
    data = booking_data(meeting.chair, meeting.scheduled_for, location="Video call", version="1")

    response = worker.post(url("meeting_edit", meeting), data)

    assert response.status_code == 200
    page = text(response)
    assert "Someone else changed this record while you were editing it" in page
    assert 'value="Video call"' in page
    assert 'name="version" value="2"' in page


def test_edit_saves_changes(worker, child):
    meeting = ProfessionalsMeetingFactory(child=child)
    data = booking_data(meeting.chair, meeting.scheduled_for, location="Video call", version="1")

    response = worker.post(url("meeting_edit", meeting), data)

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.location, meeting.version) == ("Video call", 2)


def test_add_attendee_and_add_another(worker, child, team_manager):
    meeting = ProfessionalsMeetingFactory(child=child)

    first = worker.post(
        url("meeting_attendee_add", meeting), {"user": str(team_manager.pk), "add_another": "yes"}
    )
    second = worker.post(url("meeting_attendee_add", meeting), {"name": "Sam Patel"})

    assert first["Location"] == url("meeting_attendee_add", meeting)
    assert second["Location"] == url("meeting_detail", meeting)
    assert meeting.attendees.count() == 2


def test_add_attendee_needs_someone(worker, child):
    meeting = ProfessionalsMeetingFactory(child=child)

    response = worker.post(url("meeting_attendee_add", meeting), {"role": "PC"})

    assert "Select a colleague, or enter the name of someone from another agency" in text(response)
    assert 'value="PC"' in text(response)


def test_record_form_errors_keep_the_input(worker, child):
    meeting = StartedMeetingFactory(child=child)

    response = worker.post(
        url("meeting_record", meeting),
        {"version": "1", "child_attended": "no", "parents_attended": "no", "minutes": "Notes"},
    )

    page = text(response)
    assert response.status_code == 200
    assert "Enter the child&#x27;s views, or why they could not be obtained" in page
    assert "Notes</textarea>" in page


def test_record_the_meeting_held(worker, child):
    meeting = StartedMeetingFactory(child=child)
    attendee = ExternalAttendeeFactory(meeting=meeting)
    data = {
        "version": "1",
        "child_attended": "yes",
        "parents_attended": "no",
        "attended": [str(attendee.pk)],
        "child_views": "I want to stay at my school.",
    }

    response = worker.post(url("meeting_record", meeting), data)

    meeting.refresh_from_db()
    attendee.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.status, meeting.child_attended, attendee.attended) == ("HELD", True, True)


def test_recording_a_meeting_that_has_not_started_shows_the_reason(worker, child):
    meeting = ProfessionalsMeetingFactory(child=child)
    data = {"version": "1", "child_attended": "no", "parents_attended": "no", "child_views": "x"}

    response = worker.post(url("meeting_record", meeting), data)

    assert "You can record the meeting once it has taken place" in text(response)


def test_cancel_the_meeting(worker, child):
    meeting = ProfessionalsMeetingFactory(child=child)

    response = worker.post(url("meeting_cancel", meeting), {"version": "1", "reason": "REARRANGED"})
    page = worker.get(url("meeting_detail", meeting))

    assert response.status_code == 302
    assert "This meeting was cancelled: Rearranged for another date." in text(page)


def test_cancel_of_a_held_meeting_goes_back_to_it(worker, child):
    meeting = HeldMeetingFactory(child=child)

    response = worker.get(url("meeting_cancel", meeting))

    assert response["Location"] == url("meeting_detail", meeting)


# --- Actions ------------------------------------------------------------------------------------
def test_add_an_action(worker, child, social_worker):
    meeting = HeldMeetingFactory(child=child)
    due = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "description": "Visit the address",
        "owner": str(social_worker.pk),
        "due_on_0": str(due.day),
        "due_on_1": str(due.month),
        "due_on_2": str(due.year),
    }

    response = worker.post(url("meeting_action_add", meeting), data)

    assert response.status_code == 302
    assert MeetingAction.objects.get().owner == social_worker


def test_mark_an_action_done_is_post_only(worker, child):
    action = MeetingActionFactory(meeting=HeldMeetingFactory(child=child))

    assert worker.get(url("meeting_action_done", action)).status_code == 405
    response = worker.post(url("meeting_action_done", action))

    action.refresh_from_db()
    assert response["Location"] == url("meeting_detail", action.meeting)
    assert action.status == "DONE"


def test_an_action_of_another_team_is_404(worker, other_team):
    action = MeetingActionFactory(
        meeting=HeldMeetingFactory(child=HighRiskChildFactory(team=other_team))
    )

    assert worker.post(url("meeting_action_done", action)).status_code == 404


# --- Agenda and minutes -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind", "content_type"),
    [
        ("meeting_agenda_pdf", "agenda", "application/pdf"),
        ("meeting_agenda_docx", "agenda", "wordprocessingml"),
        ("meeting_minutes_pdf", "minutes", "application/pdf"),
        ("meeting_minutes_docx", "minutes", "wordprocessingml"),
    ],
)
def test_papers_download_as_logged_uncached_attachments_named_by_case_reference(
    worker, social_worker, child, name, kind, content_type
):
    meeting = HeldMeetingFactory(child=child)
    MeetingActionFactory(meeting=meeting, description="Visit the address")

    response = worker.get(url(name, meeting))

    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"meeting-{kind}-{child.child_ref}-" in disposition
    assert child.first_name not in disposition
    assert child.last_name not in disposition
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.user, entry.child_id) == ("DOWNLOAD", social_worker, child.pk)


def test_word_minutes_have_headings_and_a_table_of_actions(worker, child):
    meeting = HeldMeetingFactory(child=child)
    MeetingActionFactory(
        meeting=meeting, description="Visit the address", owner=None, owner_name="Sam Patel"
    )

    response = worker.get(url("meeting_minutes_docx", meeting))

    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {"Attendees", "Agenda", "The child's views", "Decisions", "Actions"} <= set(headings)
    actions = document.tables[-1]
    assert [cell.text for cell in actions.rows[0].cells] == ["Action", "Owner", "Due", "Status"]
    assert [cell.text for cell in actions.rows[1].cells][:2] == ["Visit the address", "Sam Patel"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert child.full_name in "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "I want to stay at my school." in body


def test_minutes_of_a_meeting_not_yet_held_are_not_offered(worker, child):
    meeting = ProfessionalsMeetingFactory(child=child)

    response = worker.get(url("meeting_minutes_pdf", meeting))

    assert response["Location"] == url("meeting_detail", meeting)
    assert not AccessLogEntry.objects.exists()


def test_papers_of_another_team_are_404(worker, other_team):
    meeting = HeldMeetingFactory(child=HighRiskChildFactory(team=other_team))

    assert worker.get(url("meeting_agenda_pdf", meeting)).status_code == 404


def test_break_glass_lets_the_download_through(worker, child):
    child.is_restricted = True
    child.save()
    meeting = HeldMeetingFactory(child=child)
    session = worker.session
    session[BREAK_GLASS_SESSION_KEY] = [str(child.pk)]
    session.save()

    response = worker.get(url("meeting_agenda_pdf", meeting))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
