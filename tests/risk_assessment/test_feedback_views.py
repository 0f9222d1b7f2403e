"""Staff pages: asking for feedback (the link shown once) and a child's feedback."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from risk_assessment.models import FeedbackLink
from risk_assessment.permissions.feedback import token_digest
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_feedback import (
    AnsweredFeedbackLinkFactory,
    ExpiredFeedbackLinkFactory,
    FeedbackLinkFactory,
    FeedbackResponseFactory,
    HeldMeetingFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

Kind = FeedbackLink.MeetingKind


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


def _create_url(child):
    return reverse("risk_assessment:feedback_link_create", args=[child.pk])


def _date(day: datetime.date, name: str = "meeting_on") -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


# --- Asking for feedback ------------------------------------------------------------------------
def test_the_form_offers_three_kinds_when_the_child_has_no_professionals_meeting(
    signed_in, social_worker, child
):
    response = signed_in(social_worker).get(_create_url(child))

    assert response.status_code == 200
    assert "risk_assessment/feedback_link_form.html" in [t.name for t in response.templates]
    assert [value for value, _label in response.context["form"].fields["meeting_kind"].choices] == [
        Kind.LAC_REVIEW,
        Kind.CIN,
        Kind.CP,
    ]


def test_the_form_offers_the_childs_held_meetings_only(signed_in, social_worker, child):
    held = HeldMeetingFactory(child=child)
    HeldMeetingFactory(child=child, scheduled_for=timezone.now() + datetime.timedelta(days=3))
    HeldMeetingFactory(child=ChildFactory(team=child.team))

    response = signed_in(social_worker).get(_create_url(child))

    form = response.context["form"]
    assert Kind.PROFESSIONALS in [value for value, _label in form.fields["meeting_kind"].choices]
    assert list(form.fields["meeting"].queryset) == [held]
    page = response.content.decode()
    assert 'aria-controls="conditional_meeting_kind_4"' in page
    assert re.search(r"legend--m\">\s+What kind of meeting was it\?", page)


def test_creating_a_link_shows_the_address_once_and_stores_only_its_hash(
    signed_in, social_worker, child
):
    # when
    response = signed_in(social_worker).post(
        _create_url(child), {"meeting_kind": Kind.CP, "respondent": "PARENT", **_date(days_ago(3))}
    )

    # then: the page answers the POST itself (nothing stored to show it again)
    assert response.status_code == 200
    assert "risk_assessment/feedback_link_created.html" in [t.name for t in response.templates]
    url = response.context["url"]
    token = url.rsplit("/", 2)[-2]
    assert url == f"http://127.0.0.1:8000/feedback/{token}/"
    assert response.content.decode().count(url) == 1
    link = FeedbackLink.objects.get()
    assert link.token_hash == token_digest(token)
    assert link.meeting_on == days_ago(3)


def test_the_address_is_not_kept_in_the_session(signed_in, social_worker, child):
    client = signed_in(social_worker)

    response = client.post(
        _create_url(child), {"meeting_kind": Kind.CIN, "respondent": "CHILD", **_date(days_ago(1))}
    )

    token = response.context["url"].rsplit("/", 2)[-2]
    assert token not in str(dict(client.session))


def test_creating_for_a_professionals_meeting(signed_in, social_worker, child):
    meeting = HeldMeetingFactory(child=child)

    response = signed_in(social_worker).post(
        _create_url(child),
        {"meeting_kind": Kind.PROFESSIONALS, "meeting": str(meeting.pk), "respondent": "CARER"},
    )

    assert response.status_code == 200
    link = FeedbackLink.objects.get()
    assert link.meeting == meeting
    assert link.meeting_on == timezone.localtime(meeting.scheduled_for).date()


def test_a_meeting_left_selected_under_another_kind_is_ignored(signed_in, social_worker, child):
    meeting = HeldMeetingFactory(child=child)

    signed_in(social_worker).post(
        _create_url(child),
        {
            "meeting_kind": Kind.LAC_REVIEW,
            "meeting": str(meeting.pk),
            "respondent": "CHILD",
            **_date(days_ago(1)),
        },
    )

    assert FeedbackLink.objects.get().meeting is None


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            {
                "meeting_kind": ["Select the kind of meeting"],
                "respondent": ["Select who the feedback is from"],
            },
        ),
        (
            {"meeting_kind": Kind.CP, "respondent": "PARENT"},
            {"meeting_on": ["Enter the date of the meeting"]},
        ),
        (
            {"meeting_kind": Kind.PROFESSIONALS, "respondent": "PARENT"},
            {"meeting": ["Select the professionals' meeting"]},
        ),
        (
            {"meeting_kind": Kind.CP, "respondent": "PARENT", **_date(days_ago(-2))},
            {"meeting_on": ["The date of the meeting must be today or in the past"]},
        ),
        (
            {
                "meeting_kind": Kind.CP,
                "respondent": "PARENT",
                **_date(days_ago(1)),
                "meeting_on_0": "31",
                "meeting_on_1": "2",
            },
            {"meeting_on": ["The date of the meeting must be a real date"]},
        ),
    ],
)
def test_errors_are_shown_at_the_field_and_keep_the_input(
    signed_in, social_worker, child, data, errors
):
    HeldMeetingFactory(child=child)

    response = signed_in(social_worker).post(_create_url(child), data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "There is a problem" in page
    # the answers given are still there
    if "respondent" in data:
        assert re.search(rf'value="{data["respondent"]}"\s+checked="checked"', page)
    if "meeting_on_0" in data:
        assert f'name="meeting_on_0" value="{data["meeting_on_0"]}"' in page
    assert not FeedbackLink.objects.exists()


def test_a_child_out_of_scope_is_not_found(signed_in, social_worker, other_team):
    elsewhere = ChildFactory(team=other_team)

    client = signed_in(social_worker)

    assert client.get(_create_url(elsewhere)).status_code == 404
    assert client.post(_create_url(elsewhere), {}).status_code == 404


def test_someone_who_sees_the_child_but_books_no_meetings_is_refused(signed_in, child):
    officer = UserFactory(team=child.team, roles=[Role.MISSING_OFFICER])

    assert signed_in(officer).get(_create_url(child)).status_code == 403


def test_a_restricted_record_asks_for_a_reason_first(signed_in, social_worker, child):
    child.is_restricted = True
    child.save()

    response = signed_in(social_worker).get(_create_url(child))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("referrals:child_break_glass", args=[child.pk]))


# --- A child's feedback -------------------------------------------------------------------------
def _child_url(child):
    return reverse("risk_assessment:child_feedback", args=[child.pk])


def test_the_childs_feedback_lists_links_in_each_state_with_the_answers(
    signed_in, social_worker, child
):
    # given
    FeedbackLinkFactory(child=child, meeting_kind=Kind.CIN)
    ExpiredFeedbackLinkFactory(child=child, meeting_kind=Kind.LAC_REVIEW)
    FeedbackResponseFactory(link__child=child, comments="The chair talked to me first.", helped=1)
    AnsweredFeedbackLinkFactory(child=ChildFactory(team=child.team))

    # when
    response = signed_in(social_worker).get(_child_url(child))

    # then
    assert response.status_code == 200
    assert "risk_assessment/feedback_child.html" in [t.name for t in response.templates]
    states = sorted(state for _link, state in response.context["rows"])
    assert states == ["answered", "expired", "waiting"]
    page = response.content.decode()
    assert "Waiting for answers" in page
    assert "The chair talked to me first." in page
    assert "Not at all" in page
    assert "Ask for feedback on a meeting" in page
    assert 'aria-current="page">Feedback</a>' in page


def test_opening_a_childs_feedback_is_logged(signed_in, social_worker, child):
    signed_in(social_worker).get(_child_url(child))

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id) == (social_worker, child.pk)


def test_the_childs_feedback_takes_a_fixed_number_of_queries(
    signed_in, social_worker, child, django_assert_max_num_queries
):
    for _ in range(6):
        AnsweredFeedbackLinkFactory(child=child)
    client = signed_in(social_worker)
    client.get(_child_url(child))

    for _ in range(12):
        AnsweredFeedbackLinkFactory(child=child)
    with django_assert_max_num_queries(16):
        response = client.get(_child_url(child))

    assert len(response.context["rows"]) == 18


def test_the_childs_feedback_is_paginated(signed_in, social_worker, child):
    for _ in range(26):
        FeedbackLinkFactory(child=child)

    response = signed_in(social_worker).get(_child_url(child), {"page": 2})

    assert len(response.context["rows"]) == 1


def test_the_missing_team_sees_feedback_but_cannot_ask_for_it(signed_in, child):
    officer = UserFactory(team=child.team, roles=[Role.MISSING_OFFICER])

    response = signed_in(officer).get(_child_url(child))

    assert response.status_code == 200
    assert "Ask for feedback on a meeting" not in response.content.decode()


def test_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    elsewhere = ChildFactory(team=other_team)

    assert signed_in(social_worker).get(_child_url(elsewhere)).status_code == 404
