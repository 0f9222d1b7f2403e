import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.codes import CareStatus, ExploitationType, LegalStatus, ReferralSource
from referrals.models import Referral
from referrals.services import referrals as services
from referrals.services.referrals import (
    referral_create,
    referral_update,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory, PlacedInChildFactory
from tests.referrals.factories_referrals import (
    AcceptedReferralFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _create(child, actor, **overrides):
    details = {
        "child": child,
        "actor": actor,
        "received_on": TODAY() - datetime.timedelta(days=2),
        "source": ReferralSource.SCHOOL,
        "exploitation_type": ExploitationType.CCE,
        "referrer_name": "Ms Head",
        "referrer_organisation": "Northside Academy",
        "concerns": "Missing from lessons, new phone.",
    }
    return referral_create(**(details | overrides))


def _event(referral, verb):
    return CaseEvent.objects.get(
        object_type="referrals.referral", object_id=str(referral.pk), verb=verb
    )


# --- referral_create ----------------------------------------------------------------------------
def test_create_records_referral_and_chronology_event(social_worker):
    # given
    child = ChildFactory(team=social_worker.team)

    # when
    referral = _create(child, social_worker)

    # then
    assert referral.status == Referral.Status.RECEIVED
    assert referral.created_by == social_worker
    assert referral.referral_ref.startswith(f"REF-{TODAY():%Y%m%d}-")
    event = _event(referral, "referral_received")
    assert event.child_id == child.pk
    assert event.category == CaseEvent.Category.REFERRAL
    assert event.summary == "CCE referral received from 2A School"
    assert event.actor == social_worker
    assert timezone.localtime(event.occurred_at).date() == referral.received_on


def test_create_today_is_timed_now(social_worker):
    child = ChildFactory(team=social_worker.team)
    before = timezone.now()

    referral = _create(child, social_worker, received_on=TODAY())

    assert _event(referral, "referral_received").occurred_at >= before


def test_create_summary_names_both_kinds(social_worker):
    child = ChildFactory(team=social_worker.team)

    referral = _create(
        child, social_worker, exploitation_type=ExploitationType.BOTH, source=ReferralSource.POLICE
    )

    assert _event(referral, "referral_received").summary == (
        "CCE and CSE referral received from 6 Police"
    )


def test_create_captures_care_position_of_looked_after_child(social_worker):
    child = PlacedInChildFactory(team=social_worker.team)

    referral = _create(child, social_worker)

    assert referral.care_status == CareStatus.LAC
    assert referral.looked_after is True
    assert referral.legal_status == LegalStatus.V2
    assert referral.placing_authority == "Southdale Borough Council"


def test_create_captures_child_in_need_as_not_looked_after(social_worker):
    child = ChildFactory(team=social_worker.team, care_status=CareStatus.CIN)

    referral = _create(child, social_worker)

    assert (referral.care_status, referral.looked_after, referral.legal_status) == (
        "CIN",
        False,
        "",
    )
    assert referral.placing_authority == ""


def test_create_captures_the_stored_record_not_a_stale_copy(social_worker):
    # given
    child = ChildFactory(team=social_worker.team, care_status=CareStatus.CIN)
    stale = type(child).objects.get(pk=child.pk)
    child.care_status, child.legal_status = CareStatus.LAC, LegalStatus.C1
    child.save()

    # when
    referral = _create(stale, social_worker)

    # then
    assert (referral.looked_after, referral.legal_status) == (True, LegalStatus.C1)


def test_later_change_to_child_does_not_change_captured_position(social_worker):
    child = LookedAfterChildFactory(team=social_worker.team)
    referral = _create(child, social_worker)

    child.care_status, child.legal_status = CareStatus.NONE, ""
    child.save()
    referral.refresh_from_db()

    assert (referral.looked_after, referral.legal_status) == (True, LegalStatus.C2)


def test_create_refuses_a_future_date(social_worker):
    child = ChildFactory(team=social_worker.team)

    with pytest.raises(ValidationError) as error:
        _create(child, social_worker, received_on=TODAY() + datetime.timedelta(days=1))

    assert "received_on" in error.value.error_dict
    assert not Referral.objects.exists()
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("source", "99"), ("exploitation_type", "XYZ")])
def test_create_refuses_codes_outside_the_lists(social_worker, field, value):
    child = ChildFactory(team=social_worker.team)

    with pytest.raises(ValidationError) as error:
        _create(child, social_worker, **{field: value})

    assert field in error.value.error_dict


def test_create_refuses_user_without_the_capability(team):
    analyst = UserFactory(team=team, roles=[Role.ANALYST])
    child = ChildFactory(team=team)

    with pytest.raises(PermissionDenied):
        _create(child, analyst)


def test_create_refuses_child_the_actor_cannot_see(social_worker, other_team):
    child = ChildFactory(team=other_team)

    with pytest.raises(PermissionDenied):
        _create(child, social_worker)


def test_system_may_record_without_an_actor():
    child = ChildFactory()

    referral = _create(child, None)

    assert referral.created_by is None
    assert _event(referral, "referral_received").actor is None


def test_generated_references_are_unique_and_sort_in_order(social_worker):
    child = ChildFactory(team=social_worker.team)

    refs = [_create(child, social_worker).referral_ref for _ in range(3)]

    assert len(set(refs)) == 3
    assert refs == sorted(refs)
    assert refs[0].endswith("-0001")


def test_generated_reference_skips_one_already_taken(social_worker):
    child = ChildFactory(team=social_worker.team)
    ReferralFactory(referral_ref=f"REF-{TODAY():%Y%m%d}-0002")
    ReferralFactory(referral_ref=f"REF-{TODAY():%Y%m%d}-0003")

    referral = _create(child, social_worker)

    # Two exist with today's prefix, so it tries 0003, finds it taken, and takes 0004.
    assert referral.referral_ref == f"REF-{TODAY():%Y%m%d}-0004"


def test_generated_reference_retries_when_another_user_takes_it_first(social_worker):
    # given: the reference looked free, but another user's referral took it before the insert
    child = ChildFactory(team=social_worker.team)
    prefix = f"REF-{TODAY():%Y%m%d}-"
    ReferralFactory(referral_ref=f"{prefix}0001")
    taken_then_free = [f"{prefix}0001", f"{prefix}0002"]

    # when
    with mock.patch.object(services, "_first_free_ref", side_effect=taken_then_free):
        referral = _create(child, social_worker)

    # then
    assert referral.referral_ref == f"{prefix}0002"
    assert _event(referral, "referral_received")


def test_given_reference_is_kept(social_worker):
    child = ChildFactory(team=social_worker.team)

    referral = _create(child, social_worker, referral_ref="RHI-42")

    assert referral.referral_ref == "RHI-42"


def test_given_reference_that_exists_is_refused(social_worker):
    child = ChildFactory(team=social_worker.team)
    ReferralFactory(referral_ref="RHI-42")

    with pytest.raises(ValidationError) as error:
        _create(child, social_worker, referral_ref="RHI-42")

    assert "referral_ref" in error.value.error_dict


# --- referral_update ------------------------------------------------------------------------
def _details(referral, **overrides):
    fields = ["received_on", "source", "exploitation_type", "referrer_name"]
    return {name: getattr(referral, name) for name in fields} | overrides


def test_update_corrects_details_and_records_which(social_worker):
    referral = ReferralFactory(child__team=social_worker.team)

    referral_update(
        referral=referral,
        actor=social_worker,
        expected_version=1,
        **_details(referral, source=ReferralSource.POLICE, referrer_name="PC Hale"),
    )

    referral.refresh_from_db()
    assert (referral.source, referral.referrer_name, referral.version) == ("6", "PC Hale", 2)
    event = _event(referral, "referral_details_corrected")
    assert (
        event.summary
        == f"Referral {referral.referral_ref} details corrected: source, referrer name"
    )
    assert "PC Hale" not in event.summary.replace("referrer name", "")


def test_update_without_changes_records_nothing(social_worker):
    referral = ReferralFactory(child__team=social_worker.team)

    referral_update(
        referral=referral, actor=social_worker, expected_version=1, **_details(referral)
    )

    assert not CaseEvent.objects.exists()


def test_update_on_a_stale_copy_raises_stale_edit_naming_the_field(social_worker, team_manager):
    # given: two users opened the same referral
    referral = ReferralFactory(child__team=social_worker.team)
    theirs = Referral.objects.get(pk=referral.pk)
    referral_update(
        referral=theirs,
        actor=team_manager,
        expected_version=1,
        **_details(theirs, referrer_name="Someone"),
    )

    # when / then
    with pytest.raises(StaleEdit) as stale:
        referral_update(
            referral=referral,
            actor=social_worker,
            expected_version=1,
            **_details(referral, source=ReferralSource.GP),
        )
    assert "referrer name" in stale.value.message
    referral.refresh_from_db()
    assert referral.source == ReferralSource.SCHOOL


def test_update_refused_once_screened(social_worker):
    referral = AcceptedReferralFactory(child__team=social_worker.team)

    with pytest.raises(ValidationError, match="screened"):
        referral_update(
            referral=referral, actor=social_worker, expected_version=1, **_details(referral)
        )


def test_update_refuses_a_future_date(social_worker):
    referral = ReferralFactory(child__team=social_worker.team)
    tomorrow = TODAY() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        referral_update(
            referral=referral,
            actor=social_worker,
            expected_version=1,
            **_details(referral, received_on=tomorrow),
        )

    assert "received_on" in error.value.error_dict


def test_update_refuses_fields_that_are_not_details(social_worker):
    referral = ReferralFactory(child__team=social_worker.team)

    with pytest.raises(TypeError):
        referral_update(referral=referral, actor=social_worker, expected_version=1, status="CLOSED")


def test_update_refuses_user_who_cannot_see_the_child(social_worker, other_team):
    referral = ReferralFactory(child__team=other_team)

    with pytest.raises(PermissionDenied):
        referral_update(
            referral=referral, actor=social_worker, expected_version=1, **_details(referral)
        )
