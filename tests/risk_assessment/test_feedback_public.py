"""The public form: no account, nothing from the record, one answer per link, one neutral page
for links that are unknown or expired."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cre_portal.audit.models import AccessLogEntry, CaseEvent
from risk_assessment.models import FeedbackLink, FeedbackResponse
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_feedback import (
    AnsweredFeedbackLinkFactory,
    ExpiredFeedbackLinkFactory,
    HeldMeetingFactory,
    ProfessionalsMeetingFeedbackLinkFactory,
    days_ago,
    link_with_token,
)

pytestmark = pytest.mark.django_db

Kind = FeedbackLink.MeetingKind
ANSWERS = {"listened_to": "4", "understood": "3", "helped": "2", "comments": "It was long."}


def _url(token: str) -> str:
    return reverse("risk_assessment:feedback_respond", args=[token])


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


def _without_nonces(response) -> str:
    """The page as text, without what changes on every response (CSP nonces)."""
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def _steady_headers(response) -> dict:
    """Headers without the request id and the CSP nonce, which change on every response."""
    headers = dict(response.headers)
    headers.pop("X-Request-ID")
    headers["Content-Security-Policy"] = re.sub(
        r"'nonce-[^']*'", "", headers["Content-Security-Policy"]
    )
    return headers


# --- Opening the form ---------------------------------------------------------------------------
def test_anyone_with_the_link_gets_the_form_without_signing_in(client):
    _link, token = link_with_token(meeting_kind=Kind.CP, meeting_on=days_ago(10))

    response = client.get(_url(token))

    assert response.status_code == 200
    assert "risk_assessment/feedback_respond.html" in _templates(response)
    page = response.content.decode()
    day = days_ago(10)
    assert f"This is about the child protection conference on {day.day} {day:%B %Y}." in page
    for question in (
        "Did you feel listened to?",
        "Did you understand what was talked about?",
        "Did the meeting help?",
        "Is there anything else you want to tell us? (optional)",
    ):
        assert question in page
    for answer in ("Not at all", "A little", "Mostly", "Completely"):
        assert answer in page


def test_the_form_shows_nothing_from_the_childs_record(client):
    # given: a professionals' meeting with its details, about a named child
    child = ChildFactory(first_name="Zephaniah", last_name="Quartermaine", child_ref="C987654")
    meeting = HeldMeetingFactory(child=child, location="Room 7, Hollybank Family Centre")
    _link, token = link_with_token(
        ProfessionalsMeetingFeedbackLinkFactory, child=child, meeting=meeting
    )

    # when
    response = client.get(_url(token))

    # then: only the kind of meeting and its date
    page = response.content.decode()
    assert "professionals&#x27; meeting on" in page
    for private in (
        "Zephaniah",
        "Quartermaine",
        "C987654",
        "Hollybank",
        meeting.chair.full_name,
        str(child.pk),
        str(meeting.pk),
    ):
        assert private not in page
    # and the staff side's name for itself is not used either
    assert settings.SERVICE_NAME not in page
    assert "Meeting feedback" in page


def test_the_form_sets_no_session_and_is_not_cached(client):
    _link, token = link_with_token()

    response = client.get(_url(token))

    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_member_of_staff_is_warned_and_not_sent_to_mfa(client, social_worker):
    # given: signed in with a password only, not past MFA
    _link, token = link_with_token()
    client.force_login(social_worker)

    response = client.get(_url(token))

    assert response.status_code == 200
    assert "You are signed in as staff" in response.content.decode()


# --- Links that do not open ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "token",
    ["A" * 43, "short", "a" * 200, "summary.txt", "%00"],
    ids=["unknown", "short", "long", "dotted", "nul"],
)
def test_an_unknown_or_malformed_link_gets_the_neutral_page(client, token):
    response = client.get(_url(token))

    assert response.status_code == 404
    assert "risk_assessment/feedback_unavailable.html" in _templates(response)
    assert "This link has expired or is not valid" in response.content.decode()


def test_an_expired_link_gets_exactly_the_page_an_unknown_one_gets(client):
    _link, expired = link_with_token(ExpiredFeedbackLinkFactory)

    for method in ("get", "post"):
        expired_page = getattr(client, method)(_url(expired), ANSWERS)
        unknown_page = getattr(client, method)(_url("B" * 43), ANSWERS)

        assert expired_page.status_code == unknown_page.status_code == 404
        assert _without_nonces(expired_page) == _without_nonces(unknown_page)
        assert _steady_headers(expired_page) == _steady_headers(unknown_page)


def test_an_expired_link_takes_no_answer(client):
    _link, token = link_with_token(ExpiredFeedbackLinkFactory)

    client.post(_url(token), ANSWERS)

    assert not FeedbackResponse.objects.exists()


# --- Answering ----------------------------------------------------------------------------------
def test_answering_records_the_answers_and_says_thank_you(client):
    link, token = link_with_token()

    response = client.post(_url(token), ANSWERS, follow=True)

    assert response.redirect_chain == [(reverse("risk_assessment:feedback_thanks"), 302)]
    assert "risk_assessment/feedback_thanks.html" in _templates(response)
    assert "We have your answers" in response.content.decode()
    answer = FeedbackResponse.objects.get(link=link)
    assert (answer.listened_to, answer.understood, answer.helped) == (4, 3, 2)
    assert answer.comments == "It was long."
    assert CaseEvent.objects.filter(verb="feedback_received", child_id=link.child_id).exists()
    # and nobody "viewed" the record: the family member reads nothing from it
    assert not AccessLogEntry.objects.exists()


def test_a_second_visit_says_the_answers_are_in_and_shows_no_form(client):
    _link, token = link_with_token()
    client.post(_url(token), ANSWERS)

    response = client.get(_url(token))

    assert response.status_code == 200
    assert "risk_assessment/feedback_already_answered.html" in _templates(response)
    page = response.content.decode()
    assert "Thank you, we already have your answers" in page
    assert "<form" not in page.split('id="main-content"')[1]


def test_a_second_answer_is_not_taken(client):
    link, token = link_with_token()
    client.post(_url(token), ANSWERS)

    response = Client().post(_url(token), {**ANSWERS, "comments": "Changed my mind"})

    assert response.status_code == 200
    assert "Thank you, we already have your answers" in response.content.decode()
    assert FeedbackResponse.objects.get(link=link).comments == "It was long."


def test_an_answered_link_says_so_after_it_expires():
    _link, token = link_with_token(
        AnsweredFeedbackLinkFactory, expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = Client().get(_url(token))

    assert "Thank you, we already have your answers" in response.content.decode()


def test_missing_answers_are_shown_at_each_question_and_the_rest_kept(client):
    link, token = link_with_token()

    response = client.post(_url(token), {"understood": "3", "comments": "Keep this"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "listened_to": ["Select how much you felt listened to"],
        "helped": ["Select how much the meeting helped"],
    }
    page = response.content.decode()
    assert "<title>Error: " in page
    assert '<a href="#id_listened_to_1">Select how much you felt listened to</a>' in page
    assert re.search(r'value="3"\s+checked="checked"', page)
    assert "Keep this</textarea>" in page
    link.refresh_from_db()
    assert link.used_at is None


@pytest.mark.parametrize("value", ["0", "5", "mostly", "3.0"])
def test_an_answer_off_the_scale_is_refused(client, value):
    _link, token = link_with_token()

    response = client.post(_url(token), {**ANSWERS, "helped": value})

    assert response.context["form"].errors == {"helped": ["Select how much the meeting helped"]}
    assert not FeedbackResponse.objects.exists()


def test_a_very_long_comment_is_refused(client):
    _link, token = link_with_token()

    response = client.post(_url(token), {**ANSWERS, "comments": "a" * 2001})

    assert response.context["form"].errors == {
        "comments": ["Your answer must be 2,000 characters or fewer"]
    }


def test_the_form_needs_its_csrf_token():
    # given: a browser that enforces CSRF, as a real one is
    _link, token = link_with_token()
    browser = Client(enforce_csrf_checks=True)

    # when: a post that did not come from the form
    refused = browser.post(_url(token), ANSWERS)
    # and one that did
    form_page = browser.get(_url(token))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content.decode())
    taken = browser.post(_url(token), {**ANSWERS, "csrfmiddlewaretoken": csrf.group(1)})

    # then
    assert refused.status_code == 403
    assert taken.status_code == 302


def test_the_thank_you_page_is_public(client):
    response = client.get(reverse("risk_assessment:feedback_thanks"))

    assert response.status_code == 200
    assert settings.SERVICE_NAME not in response.content.decode()


def test_summary_and_thanks_are_not_taken_for_tokens():
    assert reverse("risk_assessment:feedback_summary") == "/feedback/summary/"
    assert reverse("risk_assessment:feedback_thanks") == "/feedback/thanks/"
    assert Client().get("/feedback/summary/").status_code == 302  # the sign-in wall
