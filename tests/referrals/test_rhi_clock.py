"""The 72-hour return home interview clock: clock changes, labels, and the overdue-first order."""

import datetime

import pytest
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import LONDON, rhi_due_at
from referrals.codes import RhiOffered
from referrals.forms.moments import london_moment
from referrals.models import MissingEpisode
from referrals.services.missing import (
    missing_episode_create,
    missing_episode_record_return,
    open_interviews,
    return_interview_save,
    rhi_clock_label,
    rhi_state,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import (
    MissingEpisodeFactory,
    ReturnedEpisodeFactory,
    ReturnInterviewFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# --- Across the clock changes -------------------------------------------------------------------
def elapsed(later: datetime.datetime, earlier: datetime.datetime) -> datetime.timedelta:
    # Subtracting two datetimes in the same zone gives wall-clock time: compare in UTC.
    return later.astimezone(datetime.UTC) - earlier.astimezone(datetime.UTC)


@pytest.fixture
def officer(team):
    return UserFactory(team=team, roles=[Role.MISSING_OFFICER])


def test_due_72_elapsed_hours_after_return_when_clocks_go_back(officer):
    # given: back on Saturday 24 October 2026, 10:00 BST; clocks go back on Sunday 25th
    returned = london(2026, 10, 24, 10, 0)
    episode = MissingEpisodeFactory(started_at=returned - 5 * HOUR)

    # when
    missing_episode_record_return(
        episode=episode, actor=officer, ended_at=returned, where_found="", expected_version=1
    )

    # then: Tuesday 09:00 GMT by the wall clock, 72 hours by the stopwatch
    episode.refresh_from_db()
    local_due = episode.rhi_due_at.astimezone(LONDON)
    assert (local_due.date(), local_due.hour, local_due.minute) == (
        datetime.date(2026, 10, 27),
        9,
        0,
    )
    assert local_due.utcoffset() == datetime.timedelta(0)
    assert elapsed(episode.rhi_due_at, returned) == 72 * HOUR


def test_due_72_elapsed_hours_after_return_when_clocks_go_forward(officer):
    # given: back on Friday 27 March 2026, 10:00 GMT; clocks go forward on Sunday 29th
    returned = london(2026, 3, 27, 10, 0)

    # when
    episode = missing_episode_create(
        child=ChildFactory(),
        actor=officer,
        kind="M",
        started_at=returned - 5 * HOUR,
        ended_at=returned,
    )

    # then: Monday 11:00 BST
    local_due = episode.rhi_due_at.astimezone(LONDON)
    assert (local_due.day, local_due.hour) == (30, 11)
    assert elapsed(episode.rhi_due_at, returned) == 72 * HOUR


def test_hours_after_return_count_elapsed_time_across_the_change(officer):
    # given: back Saturday 10:00 BST, interviewed Monday 10:00 GMT: 49 hours, not 48
    returned = london(2026, 10, 24, 10, 0)
    episode = ReturnedEpisodeFactory(started_at=returned - 5 * HOUR, ended_at=returned)

    # when
    return_interview_save(
        episode=MissingEpisode.objects.get(pk=episode.pk),
        actor=officer,
        expected_version=1,
        interview_version=0,
        offered="Y",
        accepted=True,
        declined_note="",
        completed_at=london(2026, 10, 26, 10, 0),
        record={"interviewer": officer},
    )

    # then
    event = CaseEvent.objects.get(verb="rhi_completed")
    assert event.summary == "Return home interview completed 49 hours after return"


def test_timescale_helper_counts_elapsed_hours_for_a_london_time():
    returned = london(2026, 10, 24, 10, 0)

    assert elapsed(rhi_due_at(returned), returned) == 72 * HOUR


def test_due_time_follows_a_corrected_return():
    episode = ReturnedEpisodeFactory()
    episode.ended_at += 2 * HOUR

    episode.save(update_fields=["ended_at"])

    episode.refresh_from_db()
    assert episode.rhi_due_at == episode.ended_at + 72 * HOUR


def test_the_repeated_autumn_hour_means_the_first_one():
    first = london_moment(datetime.date(2026, 10, 25), datetime.time(1, 30))

    # 01:30 BST, still summer time
    assert first == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)


def test_the_skipped_spring_hour_does_not_exist():
    assert london_moment(datetime.date(2026, 3, 29), datetime.time(1, 30)) is None
    assert london_moment(datetime.date(2026, 3, 29), datetime.time(2, 0)) is not None


# --- Words for the clock ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("time_left", "label"),
    [
        (datetime.timedelta(hours=20, minutes=59), "Due in 20 hours"),
        (datetime.timedelta(hours=1), "Due in 1 hour"),
        (datetime.timedelta(minutes=59), "Due in less than an hour"),
        (datetime.timedelta(0), "Due in less than an hour"),
        (-datetime.timedelta(minutes=1), "Overdue by less than an hour"),
        (-datetime.timedelta(hours=5, minutes=30), "Overdue by 5 hours"),
        (-datetime.timedelta(hours=47), "Overdue by 47 hours"),
        (-datetime.timedelta(hours=50), "Overdue by 2 days"),
        (datetime.timedelta(hours=71), "Due in 2 days"),
    ],
)
def test_clock_label(time_left, label):
    assert rhi_clock_label(time_left) == label


# --- Which interviews are open, and their order -------------------------------------------------
def returned_hours_ago(hours, **kwargs):
    ended_at = timezone.now() - hours * HOUR
    return ReturnedEpisodeFactory(started_at=ended_at - 3 * HOUR, ended_at=ended_at, **kwargs)


def test_open_interviews_are_most_overdue_first_then_by_time_left(officer):
    # given
    due_in_60 = returned_hours_ago(12)
    overdue_by_5 = returned_hours_ago(77)
    due_in_2 = returned_hours_ago(70)
    overdue_by_30 = returned_hours_ago(102)

    # when
    rows = list(open_interviews(officer, now=timezone.now()))

    # then
    assert rows == [overdue_by_30, overdue_by_5, due_in_2, due_in_60]
    assert [row.is_overdue for row in rows] == [True, True, False, False]
    assert [rhi_clock_label(row.time_left) for row in rows] == [
        "Overdue by 30 hours",
        "Overdue by 5 hours",
        "Due in 1 hour",
        "Due in 2 days",
    ]


def test_only_open_interviews_are_listed(officer):
    # given
    still_open = returned_hours_ago(10)
    not_offered_yet = returned_hours_ago(10, rhi_offered=RhiOffered.NO)
    MissingEpisodeFactory()  # still missing: no clock yet
    returned_hours_ago(10, rhi_offered=RhiOffered.NOT_APPLICABLE)
    returned_hours_ago(10, rhi_accepted=False)
    ReturnInterviewFactory()  # completed

    # when
    rows = set(open_interviews(officer, now=timezone.now()))

    # then
    assert rows == {still_open, not_offered_yet}
    assert set(MissingEpisode.objects.rhi_open()) == rows


def test_mine_and_overdue_filters(officer):
    mine_overdue = returned_hours_ago(80, rhi_owner=officer)
    returned_hours_ago(10, rhi_owner=officer)
    returned_hours_ago(80)

    rows = list(open_interviews(officer, now=timezone.now(), mine=True, overdue_only=True))

    assert rows == [mine_overdue]


def test_open_interviews_are_scoped_to_visible_children(social_worker, other_team):
    mine = returned_hours_ago(10, child=ChildFactory(team=social_worker.team))
    returned_hours_ago(10, child=ChildFactory(team=other_team))

    assert list(open_interviews(social_worker, now=timezone.now())) == [mine]


@pytest.mark.parametrize(
    ("make", "state"),
    [
        (lambda: MissingEpisodeFactory(), "Still missing"),
        (lambda: ReturnInterviewFactory().episode, "Completed"),
        (lambda: returned_hours_ago(5, rhi_offered=RhiOffered.NOT_APPLICABLE), "Not applicable"),
        (lambda: returned_hours_ago(5, rhi_accepted=False), "Declined"),
        (lambda: returned_hours_ago(80), "Overdue by 8 hours"),
    ],
)
def test_rhi_state_words(make, state):
    episode = MissingEpisode.objects.with_related().get(pk=make().pk)

    assert rhi_state(episode, timezone.now()) == state
