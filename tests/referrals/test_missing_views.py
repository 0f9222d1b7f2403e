"""The missing pages: the Missing tab, an episode, its return and interview, the team view."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from cre_portal.timescales import LONDON
from referrals.models import MissingEpisode, Referral, ReturnInterview
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import (
    MissingEpisodeFactory,
    PositiveReturnInterviewFactory,
    ReturnedEpisodeFactory,
    ReturnInterviewFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
# Session, user, MFA device and permissions, then a count and a page for each list: fixed.
QUERIES = 12


@pytest.fixture
def officer(team):
    return UserFactory(team=team, roles=[Role.MISSING_OFFICER])


@pytest.fixture
def child(team):
    return ChildFactory(team=team)


def moment_data(prefix_date, prefix_time, moment):
    local = moment.astimezone(LONDON)
    return {
        f"{prefix_date}_0": str(local.day),
        f"{prefix_date}_1": str(local.month),
        f"{prefix_date}_2": str(local.year),
        prefix_time: local.strftime("%H:%M"),
    }


def page(response):
    return response.content.decode()


# --- The child's Missing tab --------------------------------------------------------------------
def test_missing_tab_lists_episodes_with_their_interview_state(signed_in, social_worker, child):
    # given
    ReturnInterviewFactory(episode__child=child)
    MissingEpisodeFactory(child=child)

    # when
    response = signed_in(social_worker).get(reverse("referrals:child_missing", args=[child.pk]))

    # then
    assert response.status_code == 200
    assert "referrals/child_missing.html" in [t.name for t in response.templates]
    assert "Completed" in page(response)
    assert "Still missing" in page(response)
    assert "Record a missing episode" in page(response)
    assert AccessLogEntry.objects.filter(child_id=child.pk, object_type="referrals.child").exists()


def test_missing_tab_is_paginated_without_a_query_per_row(
    signed_in, social_worker, child, django_assert_max_num_queries
):
    # given
    for _ in range(15):
        ReturnInterviewFactory(episode__child=child)
    ReturnedEpisodeFactory.create_batch(15, child=child)
    client = signed_in(social_worker)

    # when
    with django_assert_max_num_queries(QUERIES + 1):
        response = client.get(reverse("referrals:child_missing", args=[child.pk]))

    # then
    assert len(response.context["rows"]) == 25


def test_missing_tab_warns_of_repeat_missing(signed_in, social_worker, team):
    child = ChildFactory(team=team, repeat_missing_since=timezone.now())

    response = signed_in(social_worker).get(reverse("referrals:child_missing", args=[child.pk]))

    assert "Repeat missing since" in page(response)
    assert "3 or more missing episodes within 30 days" in page(response)
    assert "Consider a strategy discussion" in page(response)


def test_missing_tab_of_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).get(reverse("referrals:child_missing", args=[child.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


# --- Recording an episode -----------------------------------------------------------------------
def create_url(child):
    return reverse("referrals:missing_episode_create", args=[child.pk])


def test_episode_form_defaults_the_owner_to_the_recorder(signed_in, officer, child):
    response = signed_in(officer).get(create_url(child))

    assert response.status_code == 200
    assert response.context["form"]["rhi_owner"].value() == officer.pk


def test_recording_an_episode_with_its_return_redirects_to_it(signed_in, officer, child):
    # given
    started = timezone.now().replace(second=0, microsecond=0) - 30 * HOUR
    returned = started + 20 * HOUR
    data = {
        "kind": "M",
        "police_risk": "HIGH",
        "rhi_owner": str(officer.pk),
        **moment_data("started_on", "started_time", started),
        **moment_data("returned_on", "returned_time", returned),
    }

    # when
    response = signed_in(officer).post(create_url(child), data)

    # then
    episode = MissingEpisode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:missing_episode_detail", args=[episode.pk])
    assert (episode.started_at, episode.ended_at) == (started, returned)
    assert episode.rhi_due_at == returned + 72 * HOUR
    assert episode.police_risk == "HIGH"


def test_a_return_before_the_start_is_shown_at_the_return_date_keeping_the_input(
    signed_in, officer, child
):
    # given
    started = timezone.now() - 30 * HOUR
    data = {
        "kind": "A",
        "rhi_owner": str(officer.pk),
        "where_found": "Outside the chip shop",
        **moment_data("started_on", "started_time", started),
        **moment_data("returned_on", "returned_time", started - 48 * HOUR),
    }

    # when
    response = signed_in(officer).post(create_url(child), data)

    # then
    assert response.status_code == 200
    html = page(response)
    assert "<title>Error: " in html
    assert "The date of return must be the same as or after the date they went missing" in html
    assert 'href="#id_returned_on_0"' in html
    assert "Outside the chip shop" in html
    assert not MissingEpisode.objects.exists()


def test_missing_answers_each_get_their_own_message(signed_in, officer, child):
    response = signed_in(officer).post(
        create_url(child), {"started_time": "25:00", "rhi_owner": ""}
    )

    errors = response.context["form"].errors
    assert errors["kind"] == ["Select whether the child was missing or away"]
    assert errors["started_on"] == ["Enter the date they went missing"]
    assert errors["started_time"] == [
        "Enter the time they went missing in the 24-hour clock, like 21:30"
    ]
    assert errors["rhi_owner"] == ["Select who will arrange the return home interview"]


def test_part_of_a_date_and_an_unreal_date(signed_in, officer, child):
    client = signed_in(officer)

    partial = client.post(create_url(child), {"started_on_0": "3", "started_on_2": "2026"})
    unreal = client.post(
        create_url(child), {"started_on_0": "31", "started_on_1": "2", "started_on_2": "2026"}
    )

    assert partial.context["form"].errors["started_on"] == [
        "The date they went missing must include a month"
    ]
    assert unreal.context["form"].errors["started_on"] == [
        "The date they went missing must be a real date"
    ]


def test_the_skipped_spring_hour_is_refused(signed_in, officer, child):
    data = {
        "started_on_0": "29",
        "started_on_1": "3",
        "started_on_2": "2026",
        "started_time": "01:30",
    }

    response = signed_in(officer).post(create_url(child), data)

    assert response.context["form"].errors["started_time"] == [
        "Enter a time that existed on that day: the clocks went forward at 1am"
    ]


def test_a_start_in_the_future_is_refused(signed_in, officer, child):
    data = moment_data("started_on", "started_time", timezone.now() + 3 * HOUR)

    response = signed_in(officer).post(create_url(child), data)

    assert response.context["form"].errors["started_on"] == [
        "The date and time they went missing must be in the past"
    ]


def test_a_user_without_a_case_work_role_gets_not_found(signed_in, team, child):
    # In the child's team but an analyst: sees no child, so 404, not 403.
    analyst = UserFactory(team=team, roles=[Role.ANALYST])

    assert signed_in(analyst).get(create_url(child)).status_code == 404


# --- An episode ---------------------------------------------------------------------------------
def detail_url(episode):
    return reverse("referrals:missing_episode_detail", args=[episode.pk])


def test_episode_page_logs_the_read_of_the_episode(signed_in, social_worker, child):
    episode = ReturnedEpisodeFactory(child=child)

    response = signed_in(social_worker).get(detail_url(episode))

    assert response.status_code == 200
    assert "referrals/missing_episode_detail.html" in [t.name for t in response.templates]
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.child_id) == (
        "referrals.missingepisode",
        str(episode.pk),
        child.pk,
    )


def test_episode_of_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    episode = ReturnedEpisodeFactory(child=ChildFactory(team=other_team))

    assert signed_in(social_worker).get(detail_url(episode)).status_code == 404


def test_restricted_childs_episode_asks_for_a_reason_first(signed_in, officer):
    episode = ReturnedEpisodeFactory(child=ChildFactory(is_restricted=True))

    response = signed_in(officer).get(detail_url(episode))

    assert response.status_code == 302
    assert reverse("referrals:child_break_glass", args=[episode.child_id]) in response["Location"]
    assert not AccessLogEntry.objects.exists()


def test_positive_screen_offers_to_start_a_referral(signed_in, officer, team):
    interview = PositiveReturnInterviewFactory(episode__child=ChildFactory(team=team))

    html = page(signed_in(officer).get(detail_url(interview.episode)))

    assert "The interview found exploitation indicators" in html
    assert reverse("referrals:missing_referral_start", args=[interview.episode.pk]) in html
    assert "Older or unknown associates" in html


def test_negative_screen_offers_no_referral(signed_in, officer):
    interview = ReturnInterviewFactory()

    html = page(signed_in(officer).get(detail_url(interview.episode)))

    assert "Start a CRE referral" not in html


# --- The return ---------------------------------------------------------------------------------
def return_url(episode):
    return reverse("referrals:missing_episode_return", args=[episode.pk])


def test_recording_the_return_starts_the_clock(signed_in, officer):
    episode = MissingEpisodeFactory(started_at=timezone.now() - 30 * HOUR)
    returned = timezone.now().replace(second=0, microsecond=0) - 2 * HOUR
    data = {**moment_data("returned_on", "returned_time", returned), "version": "1"}

    response = signed_in(officer).post(return_url(episode), data)

    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.rhi_due_at == returned + 72 * HOUR


def test_a_stale_return_keeps_the_input_and_says_what_changed(signed_in, officer):
    # given: someone else recorded the return after this user opened the page
    episode = MissingEpisodeFactory(started_at=timezone.now() - 30 * HOUR)
    client = signed_in(officer)
    client.post(
        return_url(episode),
        {**moment_data("returned_on", "returned_time", timezone.now() - 5 * HOUR), "version": "1"},
    )
    mine = timezone.now().replace(second=0, microsecond=0) - 3 * HOUR
    data = {
        **moment_data("returned_on", "returned_time", mine),
        "where_found": "My own words",
        "version": "1",
    }

    # when
    response = client.post(return_url(episode), data)

    # then
    assert response.status_code == 200
    html = page(response)
    assert "Someone else changed this record while you were editing it (ended at" in html
    assert "My own words" in html
    assert mine.astimezone(LONDON).strftime("%H:%M") in html


def test_return_form_of_a_returned_episode_shows_the_stored_return(signed_in, officer):
    episode = ReturnedEpisodeFactory()

    response = signed_in(officer).get(return_url(episode))

    form = response.context["form"]
    assert form["returned_time"].value() == episode.ended_at.astimezone(LONDON).strftime("%H:%M")
    assert form["version"].value() == 1


# --- The interview ------------------------------------------------------------------------------
def interview_url(episode):
    return reverse("referrals:missing_interview", args=[episode.pk])


def interview_data(episode, **overrides):
    completed = timezone.now().replace(second=0, microsecond=0) - HOUR
    return {
        "rhi_offered": "Y",
        "rhi_accepted": "yes",
        **moment_data("completed_on", "completed_time", completed),
        "interviewer_name": "Sam Jones",
        "interviewer_agency": "Children's Society",
        "where_went": "Manchester",
        "exploitation_indicators": ["GANG_LINKS"],
        "version": str(episode.version),
        "interview_version": "0",
        **overrides,
    }


def test_completing_the_interview_saves_the_screen(signed_in, officer):
    episode = ReturnedEpisodeFactory(ended_at=timezone.now() - 10 * HOUR)

    response = signed_in(officer).post(interview_url(episode), interview_data(episode))

    assert response.status_code == 302
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.exploitation_indicators == ["GANG_LINKS"]
    assert interview.interviewer_name == "Sam Jones"
    episode.refresh_from_db()
    assert episode.rhi_accepted is True


def test_declining_without_what_was_said_is_an_error(signed_in, officer):
    episode = ReturnedEpisodeFactory(ended_at=timezone.now() - 10 * HOUR)
    data = interview_data(episode, rhi_accepted="no", completed_on_0="", completed_on_1="")
    data.update({"completed_on_2": "", "completed_time": ""})

    response = signed_in(officer).post(interview_url(episode), data)

    assert response.context["form"].errors["rhi_declined_note"] == [
        "Enter what the child or their carer said when they declined"
    ]


def test_completed_interview_needs_an_interviewer(signed_in, officer):
    episode = ReturnedEpisodeFactory(ended_at=timezone.now() - 10 * HOUR)

    response = signed_in(officer).post(
        interview_url(episode), interview_data(episode, interviewer_name="")
    )

    assert response.context["form"].errors["interviewer"] == [
        "Select who did the interview or enter their name"
    ]


def test_interview_before_the_return_is_an_error(signed_in, officer):
    episode = ReturnedEpisodeFactory(ended_at=timezone.now() - 10 * HOUR)
    data = interview_data(
        episode, **moment_data("completed_on", "completed_time", timezone.now() - 50 * HOUR)
    )

    response = signed_in(officer).post(interview_url(episode), data)

    assert response.context["form"].errors["completed_on"] == [
        "The date of the interview must be the same as or after the date they returned"
    ]


def test_a_stale_interview_keeps_the_input(signed_in, officer):
    # given
    episode = ReturnedEpisodeFactory(ended_at=timezone.now() - 10 * HOUR)
    client = signed_in(officer)
    client.post(interview_url(episode), interview_data(episode, where_went="First"))

    # when
    response = client.post(interview_url(episode), interview_data(episode, where_went="Second"))

    # then
    assert response.status_code == 200
    assert "Someone else changed this record" in page(response)
    assert "Second" in page(response)
    assert ReturnInterview.objects.get().where_went == "First"


def test_interview_page_before_the_return_sends_to_the_return(signed_in, officer):
    episode = MissingEpisodeFactory()

    response = signed_in(officer).get(interview_url(episode))

    assert response["Location"] == return_url(episode)


def test_interview_form_shows_the_saved_interview(signed_in, officer):
    interview = PositiveReturnInterviewFactory()

    response = signed_in(officer).get(interview_url(interview.episode))

    form = response.context["form"]
    assert form["exploitation_indicators"].value() == ["OLDER_ASSOCIATES", "TRAVEL_OUT_OF_AREA"]
    assert form["interview_version"].value() == 1
    assert form["rhi_accepted"].value() == "yes"


# --- Starting a referral ------------------------------------------------------------------------
def start_url(episode):
    return reverse("referrals:missing_referral_start", args=[episode.pk])


def test_starting_a_referral_goes_to_the_new_referral(signed_in, officer):
    episode = PositiveReturnInterviewFactory().episode

    response = signed_in(officer).post(
        start_url(episode), {"exploitation_type": "CCE", "source": "5A"}
    )

    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    assert referral.exploitation_type == "CCE"


def test_starting_a_referral_needs_the_exploitation_type(signed_in, officer):
    episode = PositiveReturnInterviewFactory().episode

    response = signed_in(officer).post(start_url(episode), {"source": "5A"})

    assert response.status_code == 200
    assert response.context["form"].errors["exploitation_type"] == ["Select the exploitation type"]
    assert "Older or unknown associates" in page(response)
    assert not Referral.objects.exists()


def test_start_page_for_a_negative_screen_goes_back_to_the_episode(signed_in, officer):
    episode = ReturnInterviewFactory().episode

    response = signed_in(officer).get(start_url(episode))

    assert response["Location"] == detail_url(episode)


def test_a_second_start_goes_back_to_the_episode(signed_in, officer):
    episode = PositiveReturnInterviewFactory().episode
    client = signed_in(officer)
    client.post(start_url(episode), {"exploitation_type": "CSE", "source": "5A"})

    response = client.post(start_url(episode), {"exploitation_type": "CSE", "source": "5A"})

    assert response["Location"] == detail_url(episode)
    assert Referral.objects.count() == 1
    assert "A CRE referral was started from this interview" in page(client.get(detail_url(episode)))


# --- The missing-team view ----------------------------------------------------------------------
DASHBOARD = reverse("referrals:missing_dashboard")


def returned_hours_ago(hours, **kwargs):
    ended_at = timezone.now() - hours * HOUR
    return ReturnedEpisodeFactory(started_at=ended_at - HOUR, ended_at=ended_at, **kwargs)


def test_dashboard_is_paginated_without_a_query_per_row(
    signed_in, officer, django_assert_max_num_queries
):
    # given
    for hours in range(30):
        returned_hours_ago(hours + 1, rhi_owner=officer)
    MissingEpisodeFactory.create_batch(3)
    client = signed_in(officer)

    # when
    with django_assert_max_num_queries(QUERIES):
        response = client.get(DASHBOARD)

    # then
    assert response.status_code == 200
    assert len(response.context["rows"]) == 25
    assert response.context["missing_now_count"] == 3


def test_dashboard_shows_overdue_first_with_the_time_left(signed_in, officer):
    returned_hours_ago(10)
    returned_hours_ago(77)

    rows = signed_in(officer).get(DASHBOARD).context["rows"]

    assert [clock for _episode, clock in rows] == ["Overdue by 5 hours", "Due in 2 days"]


def test_dashboard_shows_only_the_reference_of_a_restricted_child(signed_in, officer):
    restricted = ChildFactory(first_name="Zebedee", last_name="Quarrington", is_restricted=True)
    returned_hours_ago(10, child=restricted)
    MissingEpisodeFactory(child=restricted)

    html = page(signed_in(officer).get(DASHBOARD))

    assert restricted.child_ref in html
    assert "Zebedee" not in html
    assert "Quarrington" not in html


def test_dashboard_tags_repeat_missing_children(signed_in, officer):
    returned_hours_ago(10, child=ChildFactory(repeat_missing_since=timezone.now()))

    assert "Repeat missing" in page(signed_in(officer).get(DASHBOARD))


def test_dashboard_filters_mine_and_overdue(signed_in, officer):
    mine = returned_hours_ago(80, rhi_owner=officer)
    returned_hours_ago(10, rhi_owner=officer)
    returned_hours_ago(80)

    response = signed_in(officer).get(DASHBOARD, {"show": "mine", "overdue": "on"})

    assert [episode for episode, _clock in response.context["rows"]] == [mine]
    assert response.context["query_string"] == "show=mine&overdue=1"


def test_dashboard_ignores_nonsense_filters(signed_in, officer):
    returned_hours_ago(10)

    response = signed_in(officer).get(DASHBOARD, {"show": "\x00", "page": "abc"})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


def test_dashboard_lists_only_children_the_user_can_see(signed_in, social_worker, other_team):
    visible = returned_hours_ago(10, child=ChildFactory(team=social_worker.team))
    returned_hours_ago(10, child=ChildFactory(team=other_team))
    MissingEpisodeFactory(child=ChildFactory(team=other_team))

    response = signed_in(social_worker).get(DASHBOARD)

    assert [episode for episode, _clock in response.context["rows"]] == [visible]
    assert response.context["missing_now_count"] == 0
