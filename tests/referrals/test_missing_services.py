"""Recording missing episodes and returns, and the repeat-missing trigger."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.codes import MissingKind, PoliceRisk
from referrals.models import Child, MissingEpisode
from referrals.services.missing import missing_episode_create, missing_episode_record_return
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import MissingEpisodeFactory, ReturnedEpisodeFactory

pytestmark = pytest.mark.django_db

HOURS_72 = datetime.timedelta(hours=72)


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def officer(team):
    return UserFactory(team=team, roles=[Role.MISSING_OFFICER])


def events(obj, **filters):
    return CaseEvent.objects.filter(object_id=str(obj.pk), **filters)


# --- Recording an episode ---------------------------------------------------------------------
def test_create_records_episode_owned_by_recorder_and_chronology_event(officer):
    # given
    child = ChildFactory()
    started_at = ago(hours=5)

    # when
    episode = missing_episode_create(
        child=child,
        actor=officer,
        kind=MissingKind.MISSING,
        started_at=started_at,
        police_risk=PoliceRisk.HIGH,
    )

    # then
    assert re.fullmatch(r"MISS-\d{8}-0001", episode.episode_ref)
    assert (episode.rhi_owner, episode.created_by) == (officer, officer)
    assert episode.ended_at is None
    assert episode.rhi_due_at is None
    event = events(episode).get()
    assert (event.child_id, event.category, event.verb) == (child.pk, "MISSING", "recorded")
    assert event.summary == "Missing (M) episode recorded, police risk high"
    assert event.is_significant
    assert event.occurred_at == started_at
    assert event.actor == officer
    assert episode.events.filter(pgh_label="insert").count() == 1


def test_references_count_up_within_the_day(officer):
    child = ChildFactory()

    first = missing_episode_create(child=child, actor=officer, kind="A", started_at=ago(days=2))
    second = missing_episode_create(child=child, actor=officer, kind="A", started_at=ago(days=1))

    assert first.episode_ref[:-4] == second.episode_ref[:-4]
    assert (first.episode_ref[-4:], second.episode_ref[-4:]) == ("0001", "0002")


def test_away_episode_without_grading_is_not_significant(officer):
    episode = missing_episode_create(
        child=ChildFactory(), actor=officer, kind=MissingKind.AWAY, started_at=ago(hours=3)
    )

    event = events(episode).get()
    assert event.summary == "Away (A) episode recorded, police risk not graded"
    assert not event.is_significant


def test_create_with_return_starts_the_72_hour_clock(officer):
    # given
    started_at, ended_at = ago(hours=30), ago(hours=20)
    other_owner = UserFactory(roles=[Role.MISSING_OFFICER])

    # when
    episode = missing_episode_create(
        child=ChildFactory(),
        actor=officer,
        kind=MissingKind.MISSING,
        started_at=started_at,
        ended_at=ended_at,
        where_found="Bus station",
        rhi_owner=other_owner,
    )

    # then
    assert episode.rhi_due_at == ended_at + HOURS_72
    assert episode.rhi_owner == other_owner
    returned = events(episode, verb="returned").get()
    assert returned.occurred_at == ended_at
    assert returned.summary.startswith(
        "Returned from missing (M) episode; return home interview due"
    )


def test_create_refuses_a_start_in_the_future(officer):
    with pytest.raises(ValidationError, match="must be in the past"):
        missing_episode_create(
            child=ChildFactory(), actor=officer, kind="M", started_at=ago(hours=-1)
        )

    assert not MissingEpisode.objects.exists()


def test_create_refuses_a_return_before_the_start(officer):
    with pytest.raises(ValidationError, match="same as or after the date they went missing"):
        missing_episode_create(
            child=ChildFactory(),
            actor=officer,
            kind="M",
            started_at=ago(hours=5),
            ended_at=ago(hours=6),
        )


@pytest.mark.parametrize("roles", [[], [Role.ANALYST], [Role.PARTNER_MEMBER], [Role.DIRECTOR]])
def test_create_refused_to_those_who_do_not_record_missing_episodes(roles, team):
    actor = UserFactory(team=team, roles=roles)

    with pytest.raises(PermissionDenied):
        missing_episode_create(
            child=ChildFactory(team=team), actor=actor, kind="M", started_at=ago(hours=1)
        )


def test_create_refused_for_a_child_the_social_worker_cannot_see(social_worker, other_team):
    with pytest.raises(PermissionDenied):
        missing_episode_create(
            child=ChildFactory(team=other_team),
            actor=social_worker,
            kind="M",
            started_at=ago(hours=1),
        )


# --- Repeat missing -----------------------------------------------------------------------------
def test_third_episode_within_30_days_flags_the_child_in_one_count_query(officer):
    # given
    child = ChildFactory()
    MissingEpisodeFactory(child=child, started_at=ago(days=29))
    MissingEpisodeFactory(child=child, started_at=ago(days=10))
    version = child.version

    # when
    with CaptureQueriesContext(connection) as queries:
        episode = missing_episode_create(
            child=child, actor=officer, kind="M", started_at=ago(hours=2)
        )

    # then
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "missingepisode" in q["sql"]]
    repeat_counts = [sql for sql in counts if "started_at" in sql]
    assert len(repeat_counts) == 1
    child.refresh_from_db()
    assert child.repeat_missing_since is not None
    assert child.version == version + 1
    event = CaseEvent.objects.get(verb="repeat_missing")
    assert event.summary == (
        "Repeat missing: 3 episodes in 30 days — consider a strategy discussion"
    )
    assert event.is_significant
    assert (event.child_id, event.object_id) == (child.pk, str(episode.pk))


def test_episodes_spread_over_more_than_30_days_do_not_flag(officer):
    child = ChildFactory()
    MissingEpisodeFactory(child=child, started_at=ago(days=31))
    MissingEpisodeFactory(child=child, started_at=ago(days=10))

    missing_episode_create(child=child, actor=officer, kind="M", started_at=ago(hours=2))

    child.refresh_from_db()
    assert child.repeat_missing_since is None
    assert not CaseEvent.objects.filter(verb="repeat_missing").exists()


def test_an_earlier_episode_recorded_late_counts_the_window_ending_at_it(officer):
    # given: two episodes now, and one recorded late from 40 days ago
    child = ChildFactory()
    MissingEpisodeFactory(child=child, started_at=ago(days=2))
    MissingEpisodeFactory(child=child, started_at=ago(days=1))

    # when
    missing_episode_create(child=child, actor=officer, kind="M", started_at=ago(days=40))

    # then: the window ends at the late one, which holds only itself
    child.refresh_from_db()
    assert child.repeat_missing_since is None


def test_a_child_already_flagged_keeps_the_date_and_gets_no_second_event(officer):
    # given
    flagged_at = ago(days=3)
    child = ChildFactory(repeat_missing_since=flagged_at)
    MissingEpisodeFactory.create_batch(3, child=child, started_at=ago(days=4))

    # when
    missing_episode_create(child=child, actor=officer, kind="M", started_at=ago(hours=2))

    # then
    assert Child.objects.get(pk=child.pk).repeat_missing_since == flagged_at
    assert not CaseEvent.objects.filter(verb="repeat_missing").exists()


def test_repeat_rule_follows_the_settings(officer, settings):
    settings.REPEAT_MISSING_EPISODES = 2
    settings.REPEAT_MISSING_DAYS = 7
    child = ChildFactory()
    MissingEpisodeFactory(child=child, started_at=ago(days=6))

    missing_episode_create(child=child, actor=officer, kind="M", started_at=ago(hours=2))

    event = CaseEvent.objects.get(verb="repeat_missing")
    assert event.summary.startswith("Repeat missing: 2 episodes in 7 days")


# --- Recording the return -----------------------------------------------------------------------
def test_recording_the_return_starts_the_clock_and_records_the_event(officer):
    # given
    episode = MissingEpisodeFactory(started_at=ago(hours=30))
    ended_at = ago(hours=4)

    # when
    missing_episode_record_return(
        episode=episode,
        actor=officer,
        ended_at=ended_at,
        where_found="Found by police at the coach station",
        expected_version=episode.version,
    )

    # then
    episode.refresh_from_db()
    assert episode.ended_at == ended_at
    assert episode.rhi_due_at == ended_at + HOURS_72
    assert episode.version == 2
    event = events(episode, verb="returned").get()
    assert event.category == "MISSING"
    assert event.occurred_at == ended_at
    assert "coach station" not in event.summary


def test_correcting_the_return_moves_the_clock_and_resets_its_reminders(officer):
    # given
    episode = ReturnedEpisodeFactory(
        started_at=ago(days=5),
        rhi_due_soon_reminded_at=ago(days=1),
        rhi_overdue_reminded_at=ago(hours=1),
    )
    new_end = episode.ended_at + datetime.timedelta(hours=3)

    # when
    missing_episode_record_return(
        episode=episode, actor=officer, ended_at=new_end, where_found="", expected_version=1
    )

    # then
    episode.refresh_from_db()
    assert episode.rhi_due_at == new_end + HOURS_72
    assert episode.rhi_due_soon_reminded_at is None
    assert episode.rhi_overdue_reminded_at is None
    assert events(episode, verb="return_corrected").exists()


def test_a_return_saved_from_a_stale_copy_is_refused_naming_the_change(officer):
    # given: two people opened the episode at version 1; the first saved
    episode = MissingEpisodeFactory(started_at=ago(hours=30))
    first_copy = MissingEpisode.objects.get(pk=episode.pk)
    missing_episode_record_return(
        episode=first_copy, actor=officer, ended_at=ago(hours=5), where_found="", expected_version=1
    )

    # when / then
    with pytest.raises(StaleEdit) as stale:
        missing_episode_record_return(
            episode=episode,
            actor=officer,
            ended_at=ago(hours=4),
            where_found="",
            expected_version=1,
        )
    assert "ended at" in stale.value.changed_fields
    assert MissingEpisode.objects.get(pk=episode.pk).version == 2


def test_a_return_before_the_start_is_refused(officer):
    episode = MissingEpisodeFactory(started_at=ago(hours=5))

    with pytest.raises(ValidationError):
        missing_episode_record_return(
            episode=episode,
            actor=officer,
            ended_at=ago(hours=6),
            where_found="",
            expected_version=1,
        )


def test_return_refused_to_a_user_who_cannot_see_the_child(social_worker, other_team):
    episode = MissingEpisodeFactory(child=ChildFactory(team=other_team), started_at=ago(hours=5))

    with pytest.raises(PermissionDenied):
        missing_episode_record_return(
            episode=episode,
            actor=social_worker,
            ended_at=ago(hours=1),
            where_found="",
            expected_version=1,
        )
