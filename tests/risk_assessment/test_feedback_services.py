"""Making feedback links and taking their single answer: every guard, the token, the chronology."""

import datetime
import hashlib
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from risk_assessment.models import FeedbackLink, FeedbackResponse, ProfessionalsMeeting
from risk_assessment.services.feedback import (
    FeedbackAlreadyGiven,
    FeedbackLinkUnavailable,
    feedback_link_create,
    feedback_respond,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_feedback import (
    AnsweredFeedbackLinkFactory,
    ExpiredFeedbackLinkFactory,
    HeldMeetingFactory,
    days_ago,
    link_with_token,
)

pytestmark = pytest.mark.django_db

Kind = FeedbackLink.MeetingKind
Respondent = FeedbackLink.Respondent
Rating = FeedbackResponse.Rating
ANSWERS = {"listened_to": Rating.MOSTLY, "understood": Rating.A_LITTLE, "helped": Rating.COMPLETELY}


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


def _create(child, actor, **overrides):
    fields = {
        "meeting_kind": Kind.CP,
        "meeting_on": days_ago(2),
        "respondent": Respondent.PARENT,
        **overrides,
    }
    return feedback_link_create(child=child, actor=actor, **fields)


def _token(url: str) -> str:
    return url.removeprefix(f"{settings.SITE_URL}/feedback/").removesuffix("/")


# --- Creating a link --------------------------------------------------------------------------
def test_create_makes_a_link_for_the_meeting(child, social_worker):
    before = timezone.now()

    new = _create(child, social_worker)

    link = FeedbackLink.objects.get()
    assert new.link == link
    assert (link.child, link.meeting_kind, link.respondent) == (child, Kind.CP, Respondent.PARENT)
    assert link.meeting_on == days_ago(2)
    assert link.created_by == social_worker
    assert link.used_at is None
    assert before + datetime.timedelta(days=30) <= link.expires_at
    assert link.expires_at <= timezone.now() + datetime.timedelta(days=30)


def test_the_address_holds_a_256_bit_token_and_only_its_hash_is_stored(child, social_worker):
    new = _create(child, social_worker)

    # then: SITE_URL/feedback/<43 URL-safe characters>/
    token = _token(new.url)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    link = FeedbackLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # and the token itself is nowhere in the link's row
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(l)::text FROM risk_assessment_feedbacklink l")
        (row,) = cursor.fetchone()
    assert token not in row


def test_each_link_gets_its_own_token(child, social_worker):
    first, second = _create(child, social_worker), _create(child, social_worker)

    assert first.url != second.url
    assert first.link.token_hash != second.link.token_hash


def test_create_puts_the_request_on_the_chronology(child, social_worker):
    new = _create(child, social_worker)

    event = CaseEvent.objects.get()
    assert event.child_id == child.pk
    assert event.category == CaseEvent.Category.MEETING
    assert event.verb == "feedback_requested"
    assert event.summary == "Feedback requested from parent after CP conference"
    assert (event.object_type, event.object_id) == (
        "risk_assessment.feedbacklink",
        str(new.link.pk),
    )
    assert event.actor == social_worker


@pytest.mark.parametrize(
    ("kind", "respondent", "summary"),
    [
        (Kind.LAC_REVIEW, Respondent.CHILD, "Feedback requested from child after LAC review"),
        (Kind.CIN, Respondent.CARER, "Feedback requested from carer after CIN meeting"),
    ],
)
def test_the_summary_names_the_respondent_and_meeting(
    child, social_worker, kind, respondent, summary
):
    _create(child, social_worker, meeting_kind=kind, respondent=respondent)

    assert CaseEvent.objects.get().summary == summary


def test_a_professionals_meeting_takes_its_date_from_the_meeting(child, social_worker):
    meeting = HeldMeetingFactory(child=child)

    new = _create(
        child, social_worker, meeting_kind=Kind.PROFESSIONALS, meeting=meeting, meeting_on=None
    )

    assert new.link.meeting == meeting
    assert new.link.meeting_on == timezone.localtime(meeting.scheduled_for).date()
    assert CaseEvent.objects.get().summary == (
        "Feedback requested from parent after professionals' meeting"
    )


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_a_professionals_meeting_must_be_named(child, social_worker):
    errors = _errors(lambda: _create(child, social_worker, meeting_kind=Kind.PROFESSIONALS))

    assert errors == {"meeting": ["Select the professionals' meeting"]}


def test_a_professionals_meeting_must_be_the_childs(child, social_worker):
    someone_elses = HeldMeetingFactory(child=ChildFactory(team=child.team))

    errors = _errors(
        lambda: _create(
            child, social_worker, meeting_kind=Kind.PROFESSIONALS, meeting=someone_elses
        )
    )

    assert errors == {"meeting": ["Select one of this child's professionals' meetings"]}


def test_a_cancelled_meeting_cannot_be_chosen(child, social_worker):
    cancelled = HeldMeetingFactory(child=child, status=ProfessionalsMeeting.Status.CANCELLED)

    errors = _errors(
        lambda: _create(child, social_worker, meeting_kind=Kind.PROFESSIONALS, meeting=cancelled)
    )

    assert errors == {"meeting": ["That meeting was cancelled: select one that was held"]}


def test_a_date_given_for_a_professionals_meeting_must_be_its_date(child, social_worker):
    meeting = HeldMeetingFactory(child=child)
    held_on = timezone.localtime(meeting.scheduled_for).date()

    errors = _errors(
        lambda: _create(
            child,
            social_worker,
            meeting_kind=Kind.PROFESSIONALS,
            meeting=meeting,
            meeting_on=held_on - datetime.timedelta(days=1),
        )
    )

    assert errors == {
        "meeting_on": [
            "The date of the meeting must be the date of the professionals' meeting you "
            f"selected ({held_on.day} {held_on:%B %Y})"
        ]
    }


def test_only_a_professionals_meeting_names_a_meeting(child, social_worker):
    meeting = HeldMeetingFactory(child=child)

    errors = _errors(lambda: _create(child, social_worker, meeting_kind=Kind.CP, meeting=meeting))

    assert errors == {"meeting": ["Only a professionals' meeting is selected from the list"]}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"meeting_kind": "TEA_PARTY"}, {"meeting_kind": ["Select the kind of meeting"]}),
        ({"meeting_on": None}, {"meeting_on": ["Enter the date of the meeting"]}),
        (
            {"meeting_on": days_ago(-1)},
            {"meeting_on": ["The date of the meeting must be today or in the past"]},
        ),
        ({"respondent": "AUNT"}, {"respondent": ["Select who the feedback is from"]}),
    ],
)
def test_create_refuses_bad_input(child, social_worker, overrides, expected):
    assert _errors(lambda: _create(child, social_worker, **overrides)) == expected
    assert not FeedbackLink.objects.exists()
    assert not CaseEvent.objects.exists()


def test_a_meeting_today_is_fine(child, social_worker):
    assert _create(child, social_worker, meeting_on=timezone.localdate()).link.pk


@pytest.mark.parametrize(
    "make_actor",
    [
        pytest.param(lambda child: UserFactory(team=child.team), id="no role"),
        pytest.param(
            lambda child: UserFactory(team=child.team, roles=[Role.MISSING_OFFICER]),
            id="sees the child, cannot book meetings",
        ),
        pytest.param(
            lambda child: UserFactory(roles=[Role.SOCIAL_WORKER]), id="other team's worker"
        ),
    ],
)
def test_create_is_refused_without_the_capability_and_the_child(child, make_actor):
    with pytest.raises(PermissionDenied):
        _create(child, make_actor(child))

    assert not FeedbackLink.objects.exists()


# --- Answering ----------------------------------------------------------------------------------
def test_respond_takes_the_answers_and_closes_the_link():
    link, token = link_with_token()

    response = feedback_respond(token=token, comments="  It was OK.  ", **ANSWERS)

    link.refresh_from_db()
    assert response.link == link
    assert (response.listened_to, response.understood, response.helped) == (3, 2, 4)
    assert response.comments == "It was OK."
    assert link.used_at is not None


def test_respond_puts_the_answer_on_the_chronology_without_the_words():
    link, token = link_with_token(respondent=Respondent.CHILD, meeting_kind=Kind.LAC_REVIEW)

    feedback_respond(token=token, comments="I want to move school", **ANSWERS)

    event = CaseEvent.objects.get()
    assert event.child_id == link.child_id
    assert event.verb == "feedback_received"
    assert event.category == CaseEvent.Category.MEETING
    assert event.summary == "Feedback received from child after LAC review"
    assert event.actor is None


def test_a_link_takes_one_answer_only():
    _link, token = link_with_token()
    feedback_respond(token=token, **ANSWERS)

    with pytest.raises(FeedbackAlreadyGiven):
        feedback_respond(token=token, **ANSWERS)

    assert FeedbackResponse.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_an_answered_link_says_so_even_after_it_expired():
    _link, token = link_with_token(
        AnsweredFeedbackLinkFactory, expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    with pytest.raises(FeedbackAlreadyGiven):
        feedback_respond(token=token, **ANSWERS)


def test_an_expired_link_takes_no_answer():
    link, token = link_with_token(ExpiredFeedbackLinkFactory)

    with pytest.raises(FeedbackLinkUnavailable):
        feedback_respond(token=token, **ANSWERS)

    link.refresh_from_db()
    assert link.used_at is None
    assert not FeedbackResponse.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["A" * 43, "too-short", "x" * 44, "../../etc/passwd", "A" * 42 + "\x00", ""],
)
def test_an_unknown_or_malformed_token_is_unavailable(token):
    link_with_token()

    with pytest.raises(FeedbackLinkUnavailable):
        feedback_respond(token=token, **ANSWERS)


def test_the_hash_of_a_token_does_not_open_the_link():
    link, _token = link_with_token()

    with pytest.raises(FeedbackLinkUnavailable):
        feedback_respond(token=link.token_hash, **ANSWERS)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**ANSWERS, "listened_to": 0}, "listened_to"),
        ({**ANSWERS, "understood": 5}, "understood"),
        ({**ANSWERS, "helped": None}, "helped"),
    ],
)
def test_respond_refuses_an_answer_off_the_scale(answers, field):
    link, token = link_with_token()

    assert _errors(lambda: feedback_respond(token=token, **answers)) == {
        field: ["Select an answer"]
    }
    link.refresh_from_db()
    assert link.used_at is None


def test_respond_refuses_a_very_long_comment():
    _link, token = link_with_token()

    errors = _errors(lambda: feedback_respond(token=token, comments="a" * 2001, **ANSWERS))

    assert errors == {"comments": ["Your answer must be 2,000 characters or fewer"]}
