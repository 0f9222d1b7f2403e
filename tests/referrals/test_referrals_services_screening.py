"""Screening, allocation and closure: guards, chronology events and history."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from referrals.models import Referral
from referrals.services import referrals as services
from referrals.services.referrals import (
    referral_allocate,
    referral_close,
    referral_screen,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import (
    AcceptedReferralFactory,
    ClosedReferralFactory,
    NoFurtherActionReferralFactory,
    ReferralFactory,
)
from tests.referrals.test_referrals_services import TODAY, _create, _event

pytestmark = pytest.mark.django_db


# --- referral_screen ------------------------------------------------------------------------
def _screen(referral, actor, **overrides):
    args = {
        "decision": Referral.Status.ACCEPTED,
        "screened_on": TODAY(),
        "rationale": "Clear indicators of CCE.",
    }
    return referral_screen(referral=referral, actor=actor, **(args | overrides))


def test_screen_in_accepts_and_records_screener(team_manager):
    referral = ReferralFactory(child__team=team_manager.team)

    screened = _screen(referral, team_manager)

    screened.refresh_from_db()
    assert screened.status == Referral.Status.ACCEPTED
    assert (screened.screened_by, screened.screened_on) == (team_manager, TODAY())
    assert screened.screening_rationale == "Clear indicators of CCE."
    assert screened.version == 2
    event = _event(screened, "referral_screened_in")
    assert (
        event.summary == f"Referral {referral.referral_ref} screened in: accepted for CRE support"
    )
    assert event.actor == team_manager


def test_screen_out_is_no_further_action(team_manager):
    referral = ReferralFactory(child__team=team_manager.team)

    screened = _screen(referral, team_manager, decision=Referral.Status.NO_FURTHER_ACTION)

    assert screened.status == Referral.Status.NO_FURTHER_ACTION
    assert _event(screened, "referral_screened_out").summary.endswith("no further action")


@pytest.mark.parametrize(
    "factory", [AcceptedReferralFactory, NoFurtherActionReferralFactory, ClosedReferralFactory]
)
def test_cannot_screen_twice(team_manager, factory):
    referral = factory(child__team=team_manager.team)

    with pytest.raises(ValidationError, match="already been screened"):
        _screen(referral, team_manager)


def test_screening_guard_reads_the_current_row_not_the_callers_copy(team_manager):
    referral = ReferralFactory(child__team=team_manager.team)
    stale = Referral.objects.get(pk=referral.pk)
    _screen(referral, team_manager)

    with pytest.raises(ValidationError, match="already been screened"):
        _screen(stale, team_manager, decision=Referral.Status.NO_FURTHER_ACTION)

    assert CaseEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decision": Referral.Status.CLOSED}, "decision"),
        ({"rationale": "  "}, "rationale"),
        ({"screened_on": TODAY() + datetime.timedelta(days=1)}, "screened_on"),
        ({"screened_on": TODAY() - datetime.timedelta(days=30)}, "screened_on"),
    ],
)
def test_screen_validates_its_input(team_manager, overrides, field):
    referral = ReferralFactory(child__team=team_manager.team)

    with pytest.raises(ValidationError) as error:
        _screen(referral, team_manager, **overrides)

    assert field in error.value.error_dict
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_social_worker_cannot_screen(social_worker):
    referral = ReferralFactory(child__team=social_worker.team)

    with pytest.raises(PermissionDenied):
        _screen(referral, social_worker)


def test_team_manager_cannot_screen_another_teams_referral(team_manager, other_team):
    referral = ReferralFactory(child__team=other_team)

    with pytest.raises(PermissionDenied):
        _screen(referral, team_manager)


# --- referral_allocate ----------------------------------------------------------------------
def test_allocate_sets_worker_and_records_event_without_their_name(team_manager, social_worker):
    referral = AcceptedReferralFactory(child__team=team_manager.team)

    allocated = referral_allocate(referral=referral, actor=team_manager, worker=social_worker)

    allocated.refresh_from_db()
    assert allocated.allocated_worker == social_worker
    event = _event(allocated, "referral_allocated")
    assert event.summary == f"Referral {referral.referral_ref} allocated"
    assert social_worker.full_name not in event.summary


def test_allocating_before_screening_is_allowed(team_manager, social_worker):
    referral = ReferralFactory(child__team=team_manager.team)

    allocated = referral_allocate(referral=referral, actor=team_manager, worker=social_worker)

    assert allocated.allocated_worker == social_worker


def test_reallocation_is_recorded_as_such(team_manager, social_worker, team):
    colleague = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    referral = AcceptedReferralFactory(child__team=team, allocated_worker=social_worker)

    referral_allocate(referral=referral, actor=team_manager, worker=colleague)

    assert _event(referral, "referral_reallocated").summary.endswith("reallocated")


def test_allocating_the_same_worker_again_is_refused(team_manager, social_worker):
    referral = AcceptedReferralFactory(
        child__team=team_manager.team, allocated_worker=social_worker
    )

    with pytest.raises(ValidationError) as error:
        referral_allocate(referral=referral, actor=team_manager, worker=social_worker)

    assert "worker" in error.value.error_dict


@pytest.mark.parametrize(
    "worker_kwargs",
    [
        pytest.param({"roles": [Role.SOCIAL_WORKER], "is_active": False}, id="inactive"),
        pytest.param({"roles": [Role.ANALYST]}, id="cannot record referrals"),
        pytest.param({"roles": [Role.SOCIAL_WORKER], "other_team": True}, id="cannot see child"),
    ],
)
def test_allocation_only_to_an_active_worker_who_can_open_the_child(
    team_manager, other_team, worker_kwargs
):
    team = other_team if worker_kwargs.pop("other_team", False) else team_manager.team
    worker = UserFactory(team=team, **worker_kwargs)
    referral = AcceptedReferralFactory(child__team=team_manager.team)

    with pytest.raises(ValidationError) as error:
        referral_allocate(referral=referral, actor=team_manager, worker=worker)

    assert "worker" in error.value.error_dict


@pytest.mark.parametrize("factory", [NoFurtherActionReferralFactory, ClosedReferralFactory])
def test_finished_referrals_cannot_be_allocated(team_manager, social_worker, factory):
    referral = factory(child__team=team_manager.team)

    with pytest.raises(ValidationError, match="open referral"):
        referral_allocate(referral=referral, actor=team_manager, worker=social_worker)


def test_social_worker_cannot_allocate(social_worker):
    referral = AcceptedReferralFactory(child__team=social_worker.team)

    with pytest.raises(PermissionDenied):
        referral_allocate(referral=referral, actor=social_worker, worker=social_worker)


# --- referral_close -------------------------------------------------------------------------
def _close(referral, actor, **overrides):
    args = {"closed_on": TODAY(), "reason": Referral.ClosureReason.RISK_REDUCED, "note": ""}
    return referral_close(referral=referral, actor=actor, **(args | overrides))


def test_close_accepted_referral(team_manager):
    referral = AcceptedReferralFactory(child__team=team_manager.team)

    closed = _close(referral, team_manager, note="Engaged well with the CRE Offer.")

    closed.refresh_from_db()
    assert closed.status == Referral.Status.CLOSED
    assert (closed.closed_on, closed.closure_reason) == (TODAY(), "RISK_REDUCED")
    assert closed.closure_note == "Engaged well with the CRE Offer."
    event = _event(closed, "referral_closed")
    assert event.summary == f"Referral {referral.referral_ref} closed: Risk reduced"
    assert "Engaged" not in event.summary


@pytest.mark.parametrize(
    "factory", [ReferralFactory, NoFurtherActionReferralFactory, ClosedReferralFactory]
)
def test_only_accepted_referrals_can_be_closed(team_manager, factory):
    referral = factory(child__team=team_manager.team)

    with pytest.raises(ValidationError, match="screened in"):
        _close(referral, team_manager)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "BORED"}, "reason"),
        ({"reason": Referral.ClosureReason.OTHER, "note": " "}, "note"),
        ({"closed_on": TODAY() + datetime.timedelta(days=1)}, "closed_on"),
        ({"closed_on": TODAY() - datetime.timedelta(days=60)}, "closed_on"),
    ],
)
def test_close_validates_its_input(team_manager, overrides, field):
    referral = AcceptedReferralFactory(child__team=team_manager.team)

    with pytest.raises(ValidationError) as error:
        _close(referral, team_manager, **overrides)

    assert field in error.value.error_dict


def test_other_reason_with_a_note_closes(team_manager):
    referral = AcceptedReferralFactory(child__team=team_manager.team)

    closed = _close(referral, team_manager, reason=Referral.ClosureReason.OTHER, note="Custody.")

    assert closed.closure_reason == Referral.ClosureReason.OTHER


def test_social_worker_cannot_close(social_worker):
    referral = AcceptedReferralFactory(child__team=social_worker.team)

    with pytest.raises(PermissionDenied):
        _close(referral, social_worker)


def test_state_changes_leave_history(team_manager, social_worker):
    # given
    referral = _create(ChildFactory(team=team_manager.team), social_worker)

    # when
    _screen(referral, team_manager)
    referral_allocate(referral=referral, actor=team_manager, worker=social_worker)
    _close(Referral.objects.get(pk=referral.pk), team_manager)

    # then: pghistory kept every version, and the chronology has each step in order
    statuses = [e.status for e in Referral.pgh_event_model.objects.filter(pgh_obj=referral)]
    assert statuses == ["RECEIVED", "ACCEPTED", "ACCEPTED", "CLOSED"]
    verbs = list(
        CaseEvent.objects.filter(object_id=str(referral.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "referral_received",
        "referral_screened_in",
        "referral_allocated",
        "referral_closed",
    ]


def test_gives_up_when_no_free_reference_is_found(social_worker):
    taken = ReferralFactory(referral_ref="REF-TAKEN")

    with (
        mock.patch.object(services, "_first_free_ref", return_value=taken.referral_ref),
        pytest.raises(IntegrityError, match="no free referral reference"),
    ):
        _create(ChildFactory(team=social_worker.team), social_worker)
