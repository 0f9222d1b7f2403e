"""Recording the return home interview, and starting a CRE referral from a positive screen."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.codes import ExploitationType, ReferralSource, RhiOffered
from referrals.models import MissingEpisode, Referral, ReturnInterview
from referrals.services.missing import interview_referral_start, return_interview_save
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import (
    MissingEpisodeFactory,
    PositiveReturnInterviewFactory,
    ReturnedEpisodeFactory,
    ReturnInterviewFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(team):
    return UserFactory(team=team, roles=[Role.MISSING_OFFICER])


@pytest.fixture
def episode():
    """Returned 71 hours ago."""
    now = timezone.now()
    return ReturnedEpisodeFactory(
        started_at=now - datetime.timedelta(hours=80), ended_at=now - datetime.timedelta(hours=71)
    )


def save(episode, actor, **overrides):
    """Save the interview as the form would, from the episode as loaded now."""
    episode = MissingEpisode.objects.with_related().get(pk=episode.pk)
    interview = getattr(episode, "return_interview", None)
    arguments = {
        "expected_version": episode.version,
        "interview_version": interview.version if interview else 0,
        "offered": RhiOffered.YES,
        "accepted": None,
        "declined_note": "",
        "completed_at": None,
        "record": {},
        **overrides,
    }
    return return_interview_save(episode=episode, actor=actor, **arguments)


def rhi_events(episode):
    return CaseEvent.objects.filter(object_id=str(episode.pk), category="RHI").order_by("id")


def test_completed_interview_records_the_screen_and_hours_since_return(officer, episode):
    # given
    completed_at = episode.ended_at + datetime.timedelta(hours=70, minutes=40)

    # when
    save(
        episode,
        officer,
        accepted=True,
        completed_at=completed_at,
        record={
            "interviewer": officer,
            "interviewer_role": "Missing officer",
            "push_factors": "Rows with carers",
            "exploitation_indicators": ["OLDER_ASSOCIATES", "VEHICLES"],
        },
    )

    # then
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.completed_at == completed_at
    assert interview.interviewer == officer
    assert interview.exploitation_indicators == ["OLDER_ASSOCIATES", "VEHICLES"]
    assert interview.version == 1
    summaries = [(e.verb, e.summary, e.is_significant) for e in rhi_events(episode)]
    assert summaries == [
        ("rhi_accepted", "Return home interview accepted", False),
        (
            "rhi_completed",
            "Return home interview completed 70 hours after return; 2 exploitation indicators",
            True,
        ),
    ]
    assert rhi_events(episode).last().occurred_at == completed_at
    assert not MissingEpisode.objects.rhi_open().filter(pk=episode.pk).exists()


def test_negative_screen_is_not_significant(officer, episode):
    save(
        episode,
        officer,
        accepted=True,
        completed_at=timezone.now(),
        record={"interviewer": officer},
    )

    event = rhi_events(episode).get(verb="rhi_completed")
    assert event.summary.endswith("hours after return")
    assert not event.is_significant


def test_declined_interview_keeps_what_was_said_and_closes_the_clock(officer, episode):
    save(episode, officer, accepted=False, declined_note="Carer said she is asleep")

    episode.refresh_from_db()
    assert episode.rhi_accepted is False
    assert episode.rhi_declined_note == "Carer said she is asleep"
    assert not ReturnInterview.objects.exists()
    event = rhi_events(episode).get()
    assert (event.verb, event.summary) == ("rhi_declined", "Return home interview declined")
    assert "asleep" not in event.summary
    assert not MissingEpisode.objects.rhi_open().filter(pk=episode.pk).exists()


def test_declined_note_is_dropped_when_not_declined(officer, episode):
    save(episode, officer, accepted=None, declined_note="left over text")

    episode.refresh_from_db()
    assert episode.rhi_declined_note == ""


@pytest.mark.parametrize(
    ("offered", "summary"),
    [
        (RhiOffered.NO, "Return home interview recorded as not offered"),
        (RhiOffered.NOT_APPLICABLE, "Return home interview recorded as not applicable"),
    ],
)
def test_offer_changes_are_recorded(officer, episode, offered, summary):
    save(episode, officer, offered=offered)

    assert [e.summary for e in rhi_events(episode)] == [summary]


def test_saving_without_a_change_records_an_update(officer, episode):
    save(episode, officer)

    assert [e.verb for e in rhi_events(episode)] == ["rhi_updated"]


def test_a_draft_interview_is_kept_without_completing(officer, episode):
    save(episode, officer, accepted=True, record={"where_went": "Manchester"})

    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.completed_at is None
    assert interview.where_went == "Manchester"
    assert MissingEpisode.objects.rhi_open().filter(pk=episode.pk).exists()


def test_a_second_save_from_a_stale_copy_names_the_interview_fields(officer, episode):
    # given: both opened the interview before anyone saved it
    stale_episode = MissingEpisode.objects.get(pk=episode.pk)
    save(episode, officer, accepted=True, record={"push_factors": "Rows at home"})

    # when / then
    with pytest.raises(StaleEdit) as stale:
        return_interview_save(
            episode=stale_episode,
            actor=officer,
            expected_version=1,
            interview_version=0,
            offered=RhiOffered.YES,
            accepted=True,
            declined_note="",
            completed_at=None,
            record={"pull_factors": "Friends in the city"},
        )
    assert "rhi accepted" in stale.value.changed_fields
    assert "return home interview" in stale.value.changed_fields
    assert ReturnInterview.objects.get(episode=episode).pull_factors == ""


def test_stale_interview_edit_names_the_changed_interview_field(officer):
    # given
    interview = ReturnInterviewFactory()
    episode = interview.episode
    save(episode, officer, accepted=True, completed_at=interview.completed_at, record={
        "interviewer_name": "Sam Jones", "push_factors": "Changed by the first user",
    })  # fmt: skip

    # when / then
    with pytest.raises(StaleEdit) as stale:
        return_interview_save(
            episode=episode,
            actor=officer,
            expected_version=1,
            interview_version=1,
            offered=RhiOffered.YES,
            accepted=True,
            declined_note="",
            completed_at=interview.completed_at,
            record={"interviewer_name": "Sam Jones"},
        )
    assert "push factors" in stale.value.changed_fields


def test_interview_needs_the_return_first(officer):
    episode = MissingEpisodeFactory()

    with pytest.raises(ValidationError, match="Record the child's return"):
        save(episode, officer)


def test_a_completed_interview_must_have_been_accepted(officer, episode):
    with pytest.raises(ValidationError):
        save(episode, officer, accepted=None, completed_at=timezone.now())


def test_interview_cannot_be_before_the_return(officer, episode):
    with pytest.raises(ValidationError):
        save(
            episode,
            officer,
            accepted=True,
            completed_at=episode.ended_at - datetime.timedelta(hours=1),
        )


def test_interview_refused_to_those_who_cannot_record_it(team, episode):
    analyst = UserFactory(team=team, roles=[Role.ANALYST])

    with pytest.raises(PermissionDenied):
        save(episode, analyst)


# --- Starting a referral ------------------------------------------------------------------------
def test_positive_screen_starts_a_referral_with_indicator_labels_as_concerns(officer):
    # given
    interview = PositiveReturnInterviewFactory()
    episode = interview.episode

    # when
    referral = interview_referral_start(
        episode=episode, actor=officer, exploitation_type=ExploitationType.CCE
    )

    # then
    assert referral.child == episode.child
    assert referral.source == ReferralSource.LA_CSC
    assert referral.exploitation_type == ExploitationType.CCE
    assert referral.created_by == officer
    assert "Older or unknown associates" in referral.concerns
    assert "Travelled out of area" in referral.concerns
    assert episode.episode_ref in referral.concerns
    # Narrative stays in the interview.
    assert interview.push_factors not in referral.concerns
    assert interview.child_words not in referral.concerns
    event = CaseEvent.objects.get(verb="referral_started")
    assert event.category == "RHI"
    assert event.object_id == str(episode.pk)
    assert referral.referral_ref in event.summary
    assert CaseEvent.objects.filter(object_id=str(referral.pk)).exists()


def test_a_referral_is_started_only_once_per_interview(officer):
    episode = PositiveReturnInterviewFactory().episode
    interview_referral_start(episode=episode, actor=officer, exploitation_type="CSE")

    with pytest.raises(ValidationError, match="already been started"):
        interview_referral_start(episode=episode, actor=officer, exploitation_type="CSE")

    assert Referral.objects.count() == 1


def test_other_source_can_be_chosen(officer):
    episode = PositiveReturnInterviewFactory().episode

    referral = interview_referral_start(
        episode=episode, actor=officer, exploitation_type="BOTH", source=ReferralSource.LA_INTERNAL
    )

    assert referral.source == ReferralSource.LA_INTERNAL


@pytest.mark.parametrize("factory", [ReturnInterviewFactory, ReturnedEpisodeFactory])
def test_no_referral_without_a_positive_completed_screen(officer, factory):
    made = factory()
    episode = getattr(made, "episode", made)

    with pytest.raises(ValidationError):
        interview_referral_start(episode=episode, actor=officer, exploitation_type="CCE")

    assert not Referral.objects.exists()


def test_referral_start_refused_to_those_who_do_not_record_referrals(team):
    episode = PositiveReturnInterviewFactory(episode__child=ChildFactory(team=team)).episode
    director = UserFactory(team=team, roles=[Role.DIRECTOR])

    with pytest.raises(PermissionDenied):
        interview_referral_start(episode=episode, actor=director, exploitation_type="CCE")
