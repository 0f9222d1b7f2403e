"""Missing episodes and return home interviews: by the London date of return, 72 hours exactly."""

import datetime

import pytest

from referrals.codes import RhiOffered
from reports.figures import corporate_parenting_figures
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import (
    MissingEpisodeFactory,
    ReturnedEpisodeFactory,
    ReturnInterviewFactory,
)

pytestmark = pytest.mark.django_db

SUMMER = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)  # both ends in British Summer Time
WINTER = datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)
HOURS_72 = datetime.timedelta(hours=72)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def returned(ended_at, child=None, **kwargs):
    """An episode that ended at `ended_at`, having started ten hours before."""
    child = child or ChildFactory()
    started_at = ended_at - datetime.timedelta(hours=10)
    return ReturnedEpisodeFactory(child=child, started_at=started_at, ended_at=ended_at, **kwargs)


def interviewed(episode, after):
    return ReturnInterviewFactory(episode=episode, completed_at=episode.ended_at + after)


@pytest.fixture
def episodes():
    """Six episodes that ended in the summer period, about three children, and four that didn't."""
    x, y, z = ChildFactory(), ChildFactory(), ChildFactory()
    returned(utc(2025, 3, 31, 23, 30), x)  # 00:30 on 1 April in London: in
    late = returned(utc(2025, 9, 30, 22, 30), x)  # 23:30 on 30 September in London: in
    ReturnInterviewFactory(episode=late, completed_at=None)  # started, no interview time yet
    interviewed(returned(utc(2025, 6, 1, 12, 0), y), HOURS_72)  # exactly 72 hours: in time
    interviewed(returned(utc(2025, 6, 2, 12, 0), z), HOURS_72 + datetime.timedelta(seconds=1))
    returned(utc(2025, 7, 1, 8, 0), x, rhi_offered=RhiOffered.NOT_APPLICABLE)
    returned(utc(2025, 8, 1, 8, 0), y, rhi_offered=RhiOffered.NO)
    # Not in the period:
    returned(utc(2025, 9, 30, 23, 30), z)  # 00:30 on 1 October in London
    returned(utc(2025, 3, 31, 22, 30), z)  # 23:30 on 31 March in London
    MissingEpisodeFactory(child=x, started_at=utc(2025, 6, 1, 8, 0))  # still missing
    interviewed(returned(utc(2025, 10, 2, 8, 0), y), datetime.timedelta(hours=1))


def test_episodes_are_those_that_ended_in_the_period_in_london(episodes):
    missing = corporate_parenting_figures(*SUMMER)["missing"]

    assert missing["episodes"] == 6
    assert missing["children"] == 3


def test_return_interviews_offered_completed_and_in_time(episodes):
    missing = corporate_parenting_figures(*SUMMER)["missing"]

    assert missing["rhi_offered"] == 4
    assert missing["rhi_completed"] == 2  # an interview record without a time doesn't count
    assert missing["rhi_within_72h"] == 1  # 72 hours counts, 72 hours and a second doesn't
    assert missing["rhi_within_72h_pct"] == 16.7  # 1 of 6 episodes


def test_winter_dates_are_greenwich_time():
    returned(utc(2025, 12, 31, 23, 30))  # 23:30 on 31 December in London: in
    returned(utc(2026, 1, 1, 0, 0))  # midnight starting 1 January: out
    returned(utc(2025, 9, 30, 23, 30))  # 00:30 on 1 October (summer time): in
    returned(utc(2025, 9, 30, 22, 59))  # 23:59 on 30 September: out

    assert corporate_parenting_figures(*WINTER)["missing"]["episodes"] == 2


def test_timeliness_percentage_is_rounded_half_up():
    for number in range(8):
        episode = returned(utc(2025, 5, 1, 12, 0))
        if number < 3:
            interviewed(episode, datetime.timedelta(hours=24))

    assert corporate_parenting_figures(*SUMMER)["missing"]["rhi_within_72h_pct"] == 37.5
