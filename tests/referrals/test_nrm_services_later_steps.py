"""NRM services: conclusive grounds, reconsideration, withdrawal, who may record, open steps."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import LONDON
from referrals.models import Decision, NrmReferral
from referrals.services.nrm import (
    Step,
    nrm_open_steps,
    nrm_record_conclusive_grounds,
    nrm_record_reasonable_grounds,
    nrm_refer,
    nrm_request_reconsideration,
    nrm_withdraw,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_nrm import (
    ConcludedNrmReferralFactory,
    NegativeConclusiveGroundsNrmReferralFactory,
    NegativeReasonableGroundsNrmReferralFactory,
    NrmReferralFactory,
    ReconsiderationNrmReferralFactory,
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


# --- Conclusive grounds -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "factory",
    [NrmReferralFactory, ReferredNrmReferralFactory, NegativeReasonableGroundsNrmReferralFactory],
)
def test_no_conclusive_grounds_before_a_positive_reasonable_grounds_decision(
    social_worker, child, factory
):
    nrm = factory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_record_conclusive_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 6, 1),
            version=1,
            actor=social_worker,
        )

    assert error.value.messages == [
        "You can only record a conclusive grounds decision after a positive reasonable grounds "
        "decision"
    ]


def test_conclusive_grounds_not_before_the_recovery_period_started(social_worker, child):
    nrm = RecoveryNrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_record_conclusive_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 4, 1),
            version=1,
            actor=social_worker,
        )

    assert field_errors(error) == {
        "decided_on": [
            "The date of the conclusive grounds decision must be the same as or after the date "
            "of the reasonable grounds decision (2 April 2026)"
        ]
    }


def test_positive_conclusive_grounds_concludes_and_is_significant(social_worker, child):
    nrm = RecoveryNrmReferralFactory(child=child)

    nrm = nrm_record_conclusive_grounds(
        nrm=nrm,
        decision=POSITIVE,
        decided_on=datetime.date(2026, 6, 1),
        version=1,
        actor=social_worker,
    )

    nrm.refresh_from_db()
    assert (nrm.status, nrm.conclusive_grounds_decision, nrm.conclusive_grounds_on) == (
        Status.CONCLUDED,
        POSITIVE,
        datetime.date(2026, 6, 1),
    )
    event = events_of(nrm)[-1]
    assert (event.verb, event.summary, event.is_significant) == (
        "nrm_conclusive_grounds",
        "Positive conclusive grounds decision",
        True,
    )


def test_negative_conclusive_grounds_is_not_significant(social_worker, child):
    nrm = RecoveryNrmReferralFactory(child=child)

    nrm_record_conclusive_grounds(
        nrm=nrm,
        decision=NEGATIVE,
        decided_on=datetime.date(2026, 6, 1),
        version=1,
        actor=social_worker,
    )

    assert not events_of(nrm)[-1].is_significant


def test_conclusive_grounds_only_once(social_worker, child):
    nrm = ConcludedNrmReferralFactory(child=child)

    with pytest.raises(ValidationError):
        nrm_record_conclusive_grounds(
            nrm=nrm,
            decision=NEGATIVE,
            decided_on=datetime.date(2026, 6, 2),
            version=1,
            actor=social_worker,
        )


# --- Reconsideration ----------------------------------------------------------------------------
def test_reconsideration_of_a_negative_conclusive_decision(social_worker, child):
    nrm = NegativeConclusiveGroundsNrmReferralFactory(child=child)

    nrm = nrm_request_reconsideration(
        nrm=nrm, requested_on=datetime.date(2026, 6, 8), version=1, actor=social_worker
    )

    nrm.refresh_from_db()
    assert (nrm.status, nrm.reconsideration_requested_on) == (
        Status.RECONSIDERATION,
        datetime.date(2026, 6, 8),
    )
    event = events_of(nrm)[-1]
    assert (event.verb, event.summary) == (
        "nrm_reconsideration_requested",
        "Reconsideration of the negative conclusive grounds decision requested",
    )
    assert nrm_open_steps(nrm) == {Step.CONCLUSIVE_GROUNDS}


def test_the_reconsidered_conclusive_decision_is_recorded_after_the_request(social_worker, child):
    nrm = ReconsiderationNrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_record_conclusive_grounds(
            nrm=nrm,
            decision=POSITIVE,
            decided_on=datetime.date(2026, 6, 5),
            version=1,
            actor=social_worker,
        )
    nrm = nrm_record_conclusive_grounds(
        nrm=nrm,
        decision=POSITIVE,
        decided_on=datetime.date(2026, 7, 1),
        version=1,
        actor=social_worker,
    )

    assert "the date reconsideration was requested (8 June 2026)" in error.value.messages[0]
    assert (nrm.status, nrm.conclusive_grounds_decision) == (Status.CONCLUDED, POSITIVE)


def test_reconsideration_of_a_negative_reasonable_grounds_decision(social_worker, child):
    nrm = NegativeReasonableGroundsNrmReferralFactory(child=child)

    nrm = nrm_request_reconsideration(
        nrm=nrm, requested_on=datetime.date(2026, 4, 10), version=1, actor=social_worker
    )
    nrm = nrm_record_reasonable_grounds(
        nrm=nrm,
        decision=POSITIVE,
        decided_on=datetime.date(2026, 4, 20),
        version=2,
        actor=social_worker,
    )

    assert events_of(nrm)[-2].summary == (
        "Reconsideration of the negative reasonable grounds decision requested"
    )
    assert (nrm.status, nrm.recovery_period_ends_on) == (
        Status.RECOVERY,
        datetime.date(2026, 5, 20),
    )


@pytest.mark.parametrize(
    "factory",
    [
        NrmReferralFactory,
        ReferredNrmReferralFactory,
        RecoveryNrmReferralFactory,
        ConcludedNrmReferralFactory,
        ReconsiderationNrmReferralFactory,
        WithdrawnNrmReferralFactory,
    ],
)
def test_reconsideration_only_of_a_negative_decision(social_worker, child, factory):
    nrm = factory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_request_reconsideration(
            nrm=nrm, requested_on=datetime.date(2026, 7, 1), version=1, actor=social_worker
        )

    assert error.value.messages == ["You can only request reconsideration of a negative decision"]


def test_reconsideration_not_before_the_decision(social_worker, child):
    nrm = NegativeConclusiveGroundsNrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_request_reconsideration(
            nrm=nrm, requested_on=datetime.date(2026, 5, 31), version=1, actor=social_worker
        )

    assert "requested_on" in error.value.message_dict


# --- Withdrawal ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "factory",
    [
        NrmReferralFactory,
        ReferredNrmReferralFactory,
        RecoveryNrmReferralFactory,
        NegativeReasonableGroundsNrmReferralFactory,
    ],
)
def test_withdraw_at_any_point_before_a_conclusive_decision(social_worker, child, factory):
    nrm = factory(child=child)

    nrm = nrm_withdraw(
        nrm=nrm, withdrawn_on=datetime.date(2026, 4, 10), version=1, actor=social_worker
    )

    assert (nrm.status, nrm.withdrawn_on) == (Status.WITHDRAWN, datetime.date(2026, 4, 10))
    event = events_of(nrm)[-1]
    assert (event.verb, event.summary, event.is_significant) == (
        "nrm_withdrawn",
        "NRM referral withdrawn",
        False,
    )
    assert nrm_open_steps(nrm) == frozenset()


@pytest.mark.parametrize(
    "factory",
    [
        ConcludedNrmReferralFactory,
        NegativeConclusiveGroundsNrmReferralFactory,
        ReconsiderationNrmReferralFactory,
        WithdrawnNrmReferralFactory,
    ],
)
def test_no_withdrawal_after_a_conclusive_decision_or_twice(social_worker, child, factory):
    nrm = factory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_withdraw(
            nrm=nrm, withdrawn_on=datetime.date(2026, 7, 1), version=1, actor=social_worker
        )

    assert error.value.messages == [
        "You can only withdraw an NRM referral before a conclusive grounds decision, and only once"
    ]


def test_withdrawal_not_before_the_last_step(social_worker, child):
    nrm = RecoveryNrmReferralFactory(child=child)

    with pytest.raises(ValidationError) as error:
        nrm_withdraw(
            nrm=nrm, withdrawn_on=datetime.date(2026, 4, 1), version=1, actor=social_worker
        )

    assert field_errors(error) == {
        "withdrawn_on": [
            "The date the NRM referral was withdrawn must be the same as or after the date of "
            "the reasonable grounds decision (2 April 2026)"
        ]
    }


# --- Who may record steps -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "factory"),
    [
        (
            lambda nrm, user: nrm_refer(
                nrm=nrm,
                referred_on=datetime.date(2026, 3, 27),
                first_responder_organisation="Police",
                version=1,
                actor=user,
            ),
            NrmReferralFactory,
        ),
        (
            lambda nrm, user: nrm_record_reasonable_grounds(
                nrm=nrm,
                decision=POSITIVE,
                decided_on=datetime.date(2026, 4, 2),
                version=1,
                actor=user,
            ),
            ReferredNrmReferralFactory,
        ),
        (
            lambda nrm, user: nrm_record_conclusive_grounds(
                nrm=nrm,
                decision=POSITIVE,
                decided_on=datetime.date(2026, 6, 1),
                version=1,
                actor=user,
            ),
            RecoveryNrmReferralFactory,
        ),
        (
            lambda nrm, user: nrm_request_reconsideration(
                nrm=nrm, requested_on=datetime.date(2026, 6, 8), version=1, actor=user
            ),
            NegativeConclusiveGroundsNrmReferralFactory,
        ),
        (
            lambda nrm, user: nrm_withdraw(
                nrm=nrm, withdrawn_on=datetime.date(2026, 4, 10), version=1, actor=user
            ),
            ReferredNrmReferralFactory,
        ),
    ],
    ids=["refer", "reasonable grounds", "conclusive grounds", "reconsideration", "withdraw"],
)
@pytest.mark.parametrize("who", ["missing officer", "other team's social worker"])
def test_steps_need_the_capability_and_the_child_in_scope(
    child, team, other_team, call, factory, who
):
    nrm = factory(child=child)
    if who == "missing officer":
        user = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    else:
        user = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])

    with pytest.raises(PermissionDenied):
        call(nrm, user)

    assert NrmReferral.objects.get(pk=nrm.pk).version == 1


# --- Which steps are open -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("factory", "steps"),
    [
        (NrmReferralFactory, {Step.REFER, Step.WITHDRAW}),
        (ReferredNrmReferralFactory, {Step.REASONABLE_GROUNDS, Step.WITHDRAW}),
        (RecoveryNrmReferralFactory, {Step.CONCLUSIVE_GROUNDS, Step.WITHDRAW}),
        (NegativeReasonableGroundsNrmReferralFactory, {Step.RECONSIDERATION, Step.WITHDRAW}),
        (ConcludedNrmReferralFactory, set()),
        (NegativeConclusiveGroundsNrmReferralFactory, {Step.RECONSIDERATION}),
        (ReconsiderationNrmReferralFactory, {Step.CONCLUSIVE_GROUNDS}),
        (WithdrawnNrmReferralFactory, set()),
    ],
)
def test_open_steps_follow_the_process(factory, steps):
    assert nrm_open_steps(factory.build()) == steps
