"""The managers' summary: response rates and answers counted in SQL, comments newest first,
over a chosen period and only for the children the manager can see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from risk_assessment.forms.feedback import default_period
from risk_assessment.models import FeedbackLink, FeedbackResponse
from risk_assessment.selectors_feedback import (
    answer_distribution,
    comments_in_period,
    links_in_period,
    response_rates,
    total_row,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_feedback import (
    ExpiredFeedbackLinkFactory,
    FeedbackLinkFactory,
    FeedbackResponseFactory,
    HeldMeetingFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

Kind = FeedbackLink.MeetingKind
Respondent = FeedbackLink.Respondent
Rating = FeedbackResponse.Rating
URL = reverse("risk_assessment:feedback_summary")


@pytest.fixture
def team_child(team):
    return ChildFactory(team=team, first_name="Zephaniah", last_name="Quartermaine")


@pytest.fixture
def other_child(other_team):
    return ChildFactory(team=other_team)


def _period(user, **kwargs):
    return links_in_period(user, start=days_ago(180), end=timezone.localdate(), **kwargs)


def _answer(child, *, kind=Kind.CP, respondent=Respondent.PARENT, **answers):
    meeting = HeldMeetingFactory(child=child) if kind == Kind.PROFESSIONALS else None
    return FeedbackResponseFactory(
        link__child=child,
        link__meeting_kind=kind,
        link__meeting=meeting,
        link__respondent=respondent,
        **answers,
    )


# --- The figures --------------------------------------------------------------------------------
def test_response_rates_by_meeting_and_respondent(team_manager, team_child):
    # given: CP/parent: 2 sent, 1 answered, 1 expired; LAC/child: 1 sent, 1 answered
    _answer(team_child)
    ExpiredFeedbackLinkFactory(child=team_child, meeting_kind=Kind.CP)
    _answer(team_child, kind=Kind.LAC_REVIEW, respondent=Respondent.CHILD)
    FeedbackLinkFactory(child=team_child, meeting_kind=Kind.LAC_REVIEW, respondent="CARER")

    # when
    rows = response_rates(_period(team_manager))

    # then: in the order of the choices
    assert [
        (r.meeting_kind, r.respondent, r.sent, r.answered, r.expired, r.rate) for r in rows
    ] == [
        ("Looked-after child review", "Child or young person", 1, 1, 0, 100),
        ("Looked-after child review", "Carer", 1, 0, 0, 0),
        ("Child protection conference", "Parent", 2, 1, 1, 50),
    ]
    total = total_row(rows)
    assert (total.sent, total.answered, total.expired, total.rate) == (4, 2, 1, 50)


def test_answers_are_counted_for_each_question(team_manager, team_child):
    _answer(team_child, listened_to=Rating.COMPLETELY, understood=Rating.MOSTLY, helped=1)
    _answer(team_child, listened_to=Rating.COMPLETELY, understood=Rating.A_LITTLE, helped=4)
    _answer(team_child, listened_to=Rating.MOSTLY, understood=Rating.A_LITTLE, helped=4)
    FeedbackLinkFactory(child=team_child)

    rows = answer_distribution(_period(team_manager))

    assert [(row.question, [a.count for a in row.answers], row.total) for row in rows] == [
        ("Did you feel listened to?", [0, 0, 1, 2], 3),
        ("Did you understand what was talked about?", [0, 2, 1, 0], 3),
        ("Did the meeting help?", [1, 0, 0, 2], 3),
    ]
    assert [a.share for a in rows[0].answers] == [0, 0, 33, 67]
    assert [a.label for a in rows[0].answers] == ["Not at all", "A little", "Mostly", "Completely"]


def test_no_answers_give_zero_counts_and_no_shares(team_manager):
    rows = answer_distribution(_period(team_manager))

    assert all(a.count == 0 and a.share is None for row in rows for a in row.answers)


def test_the_figures_take_two_queries(team_manager, team_child, django_assert_num_queries):
    for kind in Kind.values:
        _answer(team_child, kind=kind)
    links = _period(team_manager)

    with django_assert_num_queries(2):
        response_rates(links)
        answer_distribution(links)


def test_only_meetings_in_the_period_count(team_manager, team_child):
    _answer(team_child)
    FeedbackLinkFactory(child=team_child, meeting_on=days_ago(200))

    links = links_in_period(team_manager, start=days_ago(30), end=days_ago(0))

    assert links.count() == 1
    assert links_in_period(team_manager, start=days_ago(300), end=days_ago(100)).count() == 1


def test_the_kind_of_meeting_can_be_chosen(team_manager, team_child):
    _answer(team_child, kind=Kind.CIN)
    _answer(team_child, kind=Kind.CP)

    links = _period(team_manager, meeting_kind=Kind.CIN)

    assert [link.meeting_kind for link in links] == [Kind.CIN]


def test_a_team_manager_counts_their_teams_children_only(team_manager, team_child, other_child):
    _answer(team_child)
    _answer(other_child)

    assert total_row(response_rates(_period(team_manager))).sent == 1


def test_a_service_manager_counts_every_child(team, team_child, other_child):
    manager = UserFactory(team=team, roles=[Role.SERVICE_MANAGER])
    _answer(team_child)
    _answer(other_child)

    assert total_row(response_rates(_period(manager))).sent == 2


def test_comments_newest_first_and_blank_ones_left_out(team_manager, team_child):
    older = _answer(team_child, comments="First")
    FeedbackResponse.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    newer = _answer(team_child, comments="Second")
    _answer(team_child, comments="")

    assert list(comments_in_period(_period(team_manager))) == [newer, older]


# --- The page -----------------------------------------------------------------------------------
def test_the_summary_shows_the_last_six_months_by_default(
    signed_in, team_manager, team_child, other_child
):
    # given
    _answer(team_child, comments="The room was too hot.", respondent=Respondent.CARER)
    _answer(other_child, comments="Someone else's words")
    FeedbackLinkFactory(child=team_child, meeting_on=days_ago(200))

    # when
    response = signed_in(team_manager).get(URL)

    # then
    assert response.status_code == 200
    assert "risk_assessment/feedback_summary.html" in [t.name for t in response.templates]
    figures = response.context["figures"]
    assert (figures["start"], figures["end"]) == default_period()
    assert figures["total"].sent == 1
    page = response.content.decode()
    assert "The room was too hot." in page
    assert "Someone else&#x27;s words" not in page
    # the comment comes with the case reference and "Carer", never the child's name
    assert team_child.child_ref in page
    assert "Zephaniah" not in page
    assert "Quartermaine" not in page
    assert "Carer" in page


def test_the_default_period_is_six_months_to_today():
    assert default_period(datetime.date(2026, 8, 31)) == (
        datetime.date(2026, 2, 28),
        datetime.date(2026, 8, 31),
    )


def _dates(start: datetime.date, end: datetime.date) -> dict:
    return {
        "start_0": start.day,
        "start_1": start.month,
        "start_2": start.year,
        "end_0": end.day,
        "end_1": end.month,
        "end_2": end.year,
    }


def test_a_chosen_period_and_kind(signed_in, team_manager, team_child):
    _answer(team_child, kind=Kind.CIN)
    FeedbackLinkFactory(child=team_child, meeting_kind=Kind.CIN, meeting_on=days_ago(400))
    FeedbackLinkFactory(child=team_child, meeting_kind=Kind.CP, meeting_on=days_ago(400))

    response = signed_in(team_manager).get(
        URL, {**_dates(days_ago(500), days_ago(300)), "meeting_kind": Kind.CIN}
    )

    figures = response.context["figures"]
    assert (figures["start"], figures["end"]) == (days_ago(500), days_ago(300))
    assert [(row.meeting_kind, row.sent) for row in figures["rates"]] == [
        ("Child in need meeting", 1)
    ]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            _dates(days_ago(1), days_ago(10)),
            {"end": ["The end date must be the same as or after the start date"]},
        ),
        (
            {**_dates(days_ago(10), days_ago(1)), "start_1": "13"},
            {"start": ["The start date must be a real date"]},
        ),
        (
            {**_dates(days_ago(10), days_ago(1)), "meeting_kind": "PARTY"},
            {"meeting_kind": ["Select a kind of meeting from the list"]},
        ),
        ({"start_0": "\x00"}, None),
    ],
)
def test_a_bad_period_is_shown_at_the_field_with_no_figures(signed_in, team_manager, query, errors):
    response = signed_in(team_manager).get(URL, query)

    assert response.status_code == 200
    assert response.context["figures"] is None
    if errors:
        assert response.context["form"].errors == errors
    assert "There is a problem" in response.content.decode()


def test_comments_are_paginated_and_keep_the_period(
    signed_in, team_manager, team_child, django_assert_max_num_queries
):
    for number in range(27):
        _answer(team_child, comments=f"Comment {number}")
    query = _dates(days_ago(30), days_ago(0))
    client = signed_in(team_manager)
    client.get(URL, query)

    with django_assert_max_num_queries(14):
        response = client.get(URL, {**query, "page": 2})

    assert len(response.context["figures"]["page_obj"]) == 2
    page = response.content.decode()
    assert f"start_0={days_ago(30).day}" in page
    assert "page=1" in page


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.MISSING_OFFICER, Role.ANALYST, Role.DIRECTOR]
)
def test_only_managers_see_the_summary(signed_in, team, role):
    user = UserFactory(team=team, roles=[role])

    assert signed_in(user).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (datetime.date(2026, 11, 25), datetime.date(2026, 5, 25)),
        (datetime.date(2026, 3, 31), datetime.date(2025, 9, 30)),
        (datetime.date(2028, 8, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 15), datetime.date(2025, 7, 15)),
    ],
)
def test_six_months_back_lands_on_a_real_day(today, start):
    assert default_period(today) == (start, today)


def test_a_restricted_records_comment_is_counted_but_not_shown(signed_in, team_manager, team_child):
    sealed = ChildFactory(team=team_child.team, is_restricted=True)
    _answer(sealed, comments="Words from a sealed record")

    response = signed_in(team_manager).get(URL)

    assert response.context["figures"]["total"].answered == 1
    page = response.content.decode()
    assert "Words from a sealed record" not in page
    assert sealed.child_ref in page
    assert "Open the child's feedback to read this comment." in page
