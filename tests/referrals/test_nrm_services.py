"""NRM services: starting, the referral and the reasonable grounds decision."""

import datetime

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from cre_portal.timescales import LONDON
from referrals.models import Decision, NrmReferral
from referrals.services.nrm import (
    nrm_record_reasonable_grounds,
    nrm_refer,
    nrm_start,
    nrm_withdraw,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_nrm import (
    ConcludedNrmReferralFactory,
    NegativeReasonableGroundsNrmReferralFactory,
    NrmReferralFactory,
    RecoveryNrmReferralFactory,
    ReferredNrmReferralFactory,
    WithdrawnNrmReferralFactory,
)

pytestmark = pytest.mark.django_db

Status = NrmReferral.Status
POSITIVE, NEGATIVE = Decision.POSITIVE, Decision.NEGATIVE


@pytest.fixture
def pin_today(monkeypatch):
    """Call with a date to make it "today" for the services' future-date checks."""

    def pin(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return pin


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


def events_of(nrm):
    return list(CaseEvent.objects.filter(object_id=str(nrm.pk)).order_by("recorded_at", "id"))


def start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def field_errors(error):
    return {
        field: [str(m) for m in messages] for field, messages in error.value.message_dict.items()
    }


# --- Start --------------------------------------------------------------------------------------
def test_start_records_a_considered_referral_on_the_chronology(social_worker, child):
    # when
    nrm = nrm_start(
        child=child,
        considered_on=datetime.date(2026, 3, 23),
        notes="  Found with older males at the station  ",
        actor=social_worker,
    )

    # then
    nrm.refresh_from_db()
    assert (nrm.status, nrm.considered_on, nrm.created_by) == (
        Status.CONSIDERED,
        datetime.date(2026, 3, 23),
        social_worker,
    )
    assert nrm.notes == "Found with older males at the station"
    [event] = events_of(nrm)
    assert (event.child_id, event.category, event.verb, event.actor) == (
        child.pk,
        CaseEvent.Category.NRM,
        "nrm_considered",
        social_worker,
    )
    assert event.summary == "NRM referral considered"
    assert event.occurred_at == start_of(datetime.date(2026, 3, 23))
    assert not event.is_significant


def test_start_refuses_a_date_in_the_future(social_worker, child, pin_today):
    pin_today(datetime.date(2026, 3, 23))

    with pytest.raises(ValidationError) as error:
        nrm_start(
            child=child, considered_on=datetime.date(2026, 3, 24), notes="", actor=social_worker
        )

    assert field_errors(error) == {
        "considered_on": ["The date the NRM referral was considered must be today or in the past"]
    }
    assert not NrmReferral.objects.exists()
    assert not CaseEvent.objects.exists()


def test_start_accepts_today(social_worker, child, pin_today):
    today = pin_today(datetime.date(2026, 3, 23))

    nrm = nrm_start(child=child, considered_on=today, notes="", actor=social_worker)

    assert nrm.considered_on == today


@pytest.mark.parametrize("role", [Role.MISSING_OFFICER, Role.ANALYST, None])
def test_start_needs_the_capability(child, team, role):
    user = UserFactory(team=team, roles=[role] if role else [])

    with pytest.raises(PermissionDenied):
        nrm_start(child=child, considered_on=datetime.date(2026, 3, 23), notes="", actor=user)

    assert not NrmReferral.objects.exists()


def test_start_needs_the_child_in_scope(other_team):
    child = ChildFactory(team=other_team)
    outsider = UserFactory(roles=[Role.SOCIAL_WORKER])

    with pytest.raises(PermissionDenied):
        nrm_start(child=child, considered_on=datetime.date(2026, 3, 23), notes="", actor=outsider)


# --- Refer --------------------------------------------------------------------------------------
def test_refer_sets_the_reasonable_grounds_target_across_easter(social_worker, child):
    # given
    nrm = NrmReferralFactory(child=child, considered_on=datetime.date(2026, 3, 23))

    # when: referred on Friday 27 March 2026, the Friday before the Easter weekend
    nrm = nrm_refer(
        nrm=nrm,
        referred_on=datetime.date(2026, 3, 27),
        first_responder_organisation=" Northshire Police ",
        version=1,
        actor=social_worker,
    )

    # then: working days Mon 30 Mar (1), Tue 31 (2), Wed 1 Apr (3), Thu 2 Apr (4); Good Friday
    # 3 April, the weekend and Easter Monday 6 April are not working days; Tue 7 April (5).
    nrm.refresh_from_db()
    assert nrm.reasonable_grounds_due_on == datetime.date(2026, 4, 7)
    assert (nrm.status, nrm.first_responder_organisation, nrm.version) == (
        Status.REFERRED,
        "Northshire Police",
        2,
    )
    event = events_of(nrm)[-1]
    assert event.verb == "nrm_referred"
    assert event.summary == (
        "NRM referral made by Northshire Police; reasonable grounds decision due 7 April 2026"
    )
    assert event.occurred_at == start_of(datetime.date(2026, 3, 27))


def test_refer_on_christmas_eve_skips_christmas_boxing_day_and_new_year(
    social_worker, child, pin_today
):
    # given
    pin_today(datetime.date(2027, 1, 4))
    nrm = NrmReferralFactory(child=child, considered_on=datetime.date(2026, 12, 21))

    # when: referred on Thursday 24 December 2026
    nrm = nrm_refer(
        nrm=nrm,
        referred_on=datetime.date(2026, 12, 24),
        first_responder_organisation="Northshire Council",
        version=1,
        actor=social_worker,
    )

    # then: Fri 25 Dec is Christmas Day, 26-27 the weekend, Mon 28 Dec the Boxing Day
    # substitute (26 December is a Saturday); Tue 29 (1), Wed 30 (2), Thu 31 (3); Fri 1 Jan 2027
    # is New Year's Day and 2-3 the weekend; Mon 4 Jan (4), Tue 5 Jan 2027 (5).
    assert nrm.reasonable_grounds_due_on == datetime.date(2027, 1, 5)


def test_refer_refuses_a_date_before_it_was_considered(social_worker, child):
    nrm = NrmReferralFactory(child=child, considered_on=datetime.date(2026, 3, 23))

    with pytest.raises(ValidationError) as error:
        nrm_refer(
            nrm=nrm,
            referred_on=datetime.date(2026, 3, 22),
            first_responder_organisation="Northshire Police",
            version=1,
            actor=social_worker,
        )

    assert field_errors(error) == {
        "referred_on": [
            "The date of referral must be the same as or after the date the NRM referral was "
            "considered (23 March 2026)"
        ]
    }
    nrm.refresh_from_db()
    assert (nrm.status, nrm.version) == (Status.CONSIDERED, 1)


def test_refer_accepts_the_same_day_it_was_considered(social_worker, child):
    nrm = NrmReferralFactory(child=child, considered_on=datetime.date(2026, 3, 23))

    nrm = nrm_refer(
        nrm=nrm,
        referred_on=datetime.date(2026, 3, 23),
        first_responder_organisation="Northshire Police",
        version=1,
        actor=social_worker,
    )

    assert nrm.status == Status.REFERRED


def test_refer_refuses_a_date_in_the_future(social_worker, child, pin_today):
    pin_today(datetime.date(2026, 3, 26))
    nrm = NrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_refer(
            nrm=nrm,
            referred_on=datetime.date(2026, 3, 27),
            first_responder_organisation="Northshire Police",
            version=1,
            actor=social_worker,
        )

    assert field_errors(error) == {
        "referred_on": ["The date of referral must be today or in the past"]
    }


def test_refer_needs_the_first_responder_organisation(social_worker, child):
    nrm = NrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_refer(
            nrm=nrm,
            referred_on=datetime.date(2026, 3, 27),
            first_responder_organisation="   ",
            version=1,
            actor=social_worker,
        )

    assert field_errors(error) == {
        "first_responder_organisation": ["Enter the first responder organisation"]
    }


@pytest.mark.parametrize(
    "factory",
    [ReferredNrmReferralFactory, WithdrawnNrmReferralFactory, ConcludedNrmReferralFactory],
)
def test_refer_only_once_and_not_after_withdrawal(social_worker, child, factory):
    nrm = factory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_refer(
            nrm=nrm,
            referred_on=datetime.date(2026, 3, 27),
            first_responder_organisation="Northshire Police",
            version=nrm.version,
            actor=social_worker,
        )

    assert error.value.messages == [
        "The referral has already been recorded, or the NRM referral was withdrawn"
    ]


def test_refer_based_on_a_stale_page_is_refused_naming_what_changed(
    social_worker, team_manager, child
):
    # given: both open the page at version 1; the team manager saves first
    nrm = NrmReferralFactory(child=child)
    nrm_refer(
        nrm=nrm,
        referred_on=datetime.date(2026, 3, 27),
        first_responder_organisation="Northshire Police",
        version=1,
        actor=team_manager,
    )

    # when
    with pytest.raises(StaleEdit) as stale:
        nrm_refer(
            nrm=nrm,
            referred_on=datetime.date(2026, 3, 26),
            first_responder_organisation="Northshire Council",
            version=1,
            actor=social_worker,
        )

    # then
    assert "first responder organisation" in stale.value.changed_fields
    assert "referred on" in stale.value.changed_fields
    assert "Someone else changed this record" in stale.value.message
    nrm.refresh_from_db()
    assert (nrm.first_responder_organisation, nrm.version) == ("Northshire Police", 2)
    assert len(events_of(nrm)) == 1


def test_each_step_leaves_a_history_row_with_the_changes(social_worker, child):
    nrm = NrmReferralFactory(child=child)

    nrm_refer(
        nrm=nrm,
        referred_on=datetime.date(2026, 3, 27),
        first_responder_organisation="Northshire Police",
        version=1,
        actor=social_worker,
    )

    events = pghistory.models.Events.objects.tracks(nrm).order_by("pgh_created_at", "pgh_id")
    assert [event.pgh_label for event in events] == ["insert", "update"]
    diff = events[1].pgh_diff
    assert diff["status"] == [Status.CONSIDERED, Status.REFERRED]
    assert diff["reasonable_grounds_due_on"] == [None, "2026-04-07"]
    assert diff["version"] == [1, 2]


# --- Reasonable grounds -------------------------------------------------------------------------
def test_positive_reasonable_grounds_starts_a_recovery_period_of_at_least_30_days(
    social_worker, child
):
    nrm = ReferredNrmReferralFactory(child=child)

    nrm = nrm_record_reasonable_grounds(
        nrm=nrm,
        decision=POSITIVE,
        decided_on=datetime.date(2026, 4, 2),
        version=1,
        actor=social_worker,
    )

    nrm.refresh_from_db()
    assert (nrm.status, nrm.reasonable_grounds_decision, nrm.reasonable_grounds_on) == (
        Status.RECOVERY,
        POSITIVE,
        datetime.date(2026, 4, 2),
    )
    assert nrm.recovery_period_ends_on == datetime.date(2026, 5, 2)
    event = events_of(nrm)[-1]
    assert (event.verb, event.is_significant) == ("nrm_reasonable_grounds", True)
    assert event.summary == (
        "Positive reasonable grounds decision; recovery period to at least 2 May 2026"
    )


def test_negative_reasonable_grounds_has_no_recovery_period(social_worker, child):
    nrm = ReferredNrmReferralFactory(child=child)

    nrm = nrm_record_reasonable_grounds(
        nrm=nrm,
        decision=NEGATIVE,
        decided_on=datetime.date(2026, 4, 2),
        version=1,
        actor=social_worker,
    )

    assert (nrm.status, nrm.recovery_period_ends_on) == (Status.RG_NEGATIVE, None)
    event = events_of(nrm)[-1]
    assert (event.summary, event.is_significant) == ("Negative reasonable grounds decision", False)


def test_reasonable_grounds_needs_the_referral_first(social_worker, child):
    nrm = NrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_record_reasonable_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 4, 2),
            version=1,
            actor=social_worker,
        )

    assert "once the referral has been made" in error.value.messages[0]


@pytest.mark.parametrize(
    "factory",
    [
        RecoveryNrmReferralFactory,
        NegativeReasonableGroundsNrmReferralFactory,
        WithdrawnNrmReferralFactory,
    ],
)
def test_reasonable_grounds_only_once(social_worker, child, factory):
    nrm = factory(child=child)

    with pytest.raises(ValidationError):
        nrm_record_reasonable_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 4, 2),
            version=1,
            actor=social_worker,
        )


def test_reasonable_grounds_cannot_be_dated_before_the_referral(social_worker, child):
    nrm = ReferredNrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_record_reasonable_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 3, 26),
            version=1,
            actor=social_worker,
        )

    assert field_errors(error) == {
        "decided_on": [
            "The date of the reasonable grounds decision must be the same as or after the date "
            "of referral (27 March 2026)"
        ]
    }


def test_reasonable_grounds_cannot_be_in_the_future(social_worker, child, pin_today):
    pin_today(datetime.date(2026, 4, 1))
    nrm = ReferredNrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_record_reasonable_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 4, 2),
            version=1,
            actor=social_worker,
        )

    assert "decided_on" in error.value.message_dict


def test_reasonable_grounds_must_be_positive_or_negative(social_worker, child):
    nrm = ReferredNrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_record_reasonable_grounds(
            nrm=nrm,
            decision="MAYBE",
            decided_on=datetime.date(2026, 4, 2),
            version=1,
            actor=social_worker,
        )

    assert field_errors(error) == {
        "decision": ["Select whether the decision was positive or negative"]
    }


def test_reasonable_grounds_on_a_stale_page_is_refused(social_worker, team_manager, child):
    nrm = ReferredNrmReferralFactory(child=child)
    nrm_withdraw(nrm=nrm, withdrawn_on=datetime.date(2026, 3, 30), version=1, actor=team_manager)

    with pytest.raises(StaleEdit) as stale:
        nrm_record_reasonable_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 4, 2),
            version=1,
            actor=social_worker,
        )

    assert "withdrawn on" in stale.value.changed_fields
