"""The guards on each step of an offer item: stale forms, closed steps, access, dates, text."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from risk_assessment.models import OfferItem
from risk_assessment.services import offer as services
from risk_assessment.services.offer import Step, offer_item_open_steps
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_offer import (
    AcceptedOfferItemFactory,
    ApprovedAssessmentFactory,
    DeclinedOfferItemFactory,
    DeliveredOfferItemFactory,
    EndedOfferItemFactory,
    NotOfferedOfferItemFactory,
    OfferedOfferItemFactory,
    OfferItemFactory,
)

pytestmark = pytest.mark.django_db

Status = OfferItem.Status
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def pin_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


@pytest.fixture
def assessment(child):
    return ApprovedAssessmentFactory(child=child)


def events_of(item):
    return list(CaseEvent.objects.filter(object_id=str(item.pk)).order_by("recorded_at", "id"))


def field_errors(error):
    return {
        field: [str(m) for m in messages] for field, messages in error.value.message_dict.items()
    }


# --- Which steps are open -----------------------------------------------------------------------
EXPECTED_OPEN_STEPS = {
    OfferItemFactory: (Step.OFFER, Step.NOT_OFFERED),
    OfferedOfferItemFactory: (Step.ACCEPT, Step.DECLINE),
    AcceptedOfferItemFactory: (Step.START, Step.END),
    DeliveredOfferItemFactory: (Step.END,),
    DeclinedOfferItemFactory: (),
    EndedOfferItemFactory: (),
    NotOfferedOfferItemFactory: (),
}
CLOSED_STEPS = [
    (factory, step)
    for factory, steps in EXPECTED_OPEN_STEPS.items()
    for step in Step
    if step not in steps
]


@pytest.mark.parametrize(("factory", "steps"), EXPECTED_OPEN_STEPS.items())
def test_open_steps_follow_the_status(factory, steps):
    assert offer_item_open_steps(factory.build()) == steps


# --- Guards -------------------------------------------------------------------------------------
STEP_CALLS = {
    Step.OFFER: (
        services.offer_item_offer,
        {"offered_on": datetime.date(2026, 3, 4), "provider": "Youth service"},
    ),
    Step.NOT_OFFERED: (services.offer_item_not_offer, {"reason": "Not needed"}),
    Step.ACCEPT: (services.offer_item_accept, {"responded_on": datetime.date(2026, 3, 6)}),
    Step.DECLINE: (
        services.offer_item_decline,
        {"responded_on": datetime.date(2026, 3, 6), "reason": ""},
    ),
    Step.START: (
        services.offer_item_start,
        {"started_on": datetime.date(2026, 3, 10), "provider": "Youth service"},
    ),
    Step.END: (
        services.offer_item_end,
        {"ended_on": datetime.date(2026, 5, 29), "outcome": "Done"},
    ),
}
STEP_FACTORIES = {
    Step.OFFER: OfferItemFactory,
    Step.NOT_OFFERED: OfferItemFactory,
    Step.ACCEPT: OfferedOfferItemFactory,
    Step.DECLINE: OfferedOfferItemFactory,
    Step.START: AcceptedOfferItemFactory,
    Step.END: DeliveredOfferItemFactory,
}


@pytest.mark.parametrize("step", list(Step))
def test_a_step_from_a_stale_form_is_refused(social_worker, assessment, step):
    # given: someone else saved the item after this form was loaded
    item = STEP_FACTORIES[step](assessment=assessment)
    OfferItem.objects.filter(pk=item.pk).update(provider="Changed", version=2)
    service, kwargs = STEP_CALLS[step]

    # when / then
    with pytest.raises(StaleEdit) as stale:
        service(item=item, version=1, actor=social_worker, **kwargs)
    assert "provider" in stale.value.message
    assert not events_of(item)


@pytest.mark.parametrize(("factory", "step"), CLOSED_STEPS)
def test_a_step_that_is_not_open_is_refused(social_worker, assessment, factory, step):
    item = factory(assessment=assessment)
    service, kwargs = STEP_CALLS[step]

    with pytest.raises(ValidationError):
        service(item=item, version=1, actor=social_worker, **kwargs)
    assert OfferItem.objects.get(pk=item.pk).status == item.status


@pytest.mark.parametrize("step", list(Step))
def test_a_step_is_refused_without_the_capability_or_the_child(team, other_team, assessment, step):
    item = STEP_FACTORIES[step](assessment=assessment)
    service, kwargs = STEP_CALLS[step]
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    stranger = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])

    for user in (officer, stranger):
        with pytest.raises(PermissionDenied):
            service(item=item, version=1, actor=user, **kwargs)


DATED_STEPS = [
    (Step.OFFER, "offered_on", "The date it was offered"),
    (Step.ACCEPT, "responded_on", "The date it was accepted"),
    (Step.DECLINE, "responded_on", "The date it was declined"),
    (Step.START, "started_on", "The date it started"),
    (Step.END, "ended_on", "The date it ended"),
]


@pytest.mark.parametrize(("step", "field", "name"), DATED_STEPS)
def test_a_date_in_the_future_is_refused(social_worker, assessment, step, field, name):
    item = STEP_FACTORIES[step](assessment=assessment)
    service, kwargs = STEP_CALLS[step]

    with pytest.raises(ValidationError) as error:
        service(
            item=item,
            version=1,
            actor=social_worker,
            **{**kwargs, field: TODAY + datetime.timedelta(days=1)},
        )

    assert field_errors(error) == {field: [f"{name} must be today or in the past"]}


@pytest.mark.parametrize(
    ("factory", "step", "field", "message"),
    [
        (
            OfferedOfferItemFactory,
            Step.ACCEPT,
            "responded_on",
            "The date it was accepted must be the same as or after the date it was offered "
            "(4 March 2026)",
        ),
        (
            OfferedOfferItemFactory,
            Step.DECLINE,
            "responded_on",
            "The date it was declined must be the same as or after the date it was offered "
            "(4 March 2026)",
        ),
        (
            AcceptedOfferItemFactory,
            Step.START,
            "started_on",
            "The date it started must be the same as or after the date it was accepted "
            "(6 March 2026)",
        ),
        (
            AcceptedOfferItemFactory,
            Step.END,
            "ended_on",
            "The date it ended must be the same as or after the date it was accepted "
            "(6 March 2026)",
        ),
        (
            DeliveredOfferItemFactory,
            Step.END,
            "ended_on",
            "The date it ended must be the same as or after the date it started (10 March 2026)",
        ),
    ],
)
def test_a_date_before_the_step_before_is_refused(
    social_worker, assessment, factory, step, field, message
):
    item = factory(assessment=assessment)
    service, kwargs = STEP_CALLS[step]

    with pytest.raises(ValidationError) as error:
        service(
            item=item,
            version=1,
            actor=social_worker,
            **{**kwargs, field: datetime.date(2026, 3, 3)},
        )

    assert field_errors(error) == {field: [message]}


@pytest.mark.parametrize(
    ("step", "field", "message"),
    [
        (Step.OFFER, "provider", "Enter who will provide this support"),
        (Step.START, "provider", "Enter who is providing this support"),
        (Step.NOT_OFFERED, "reason", "Enter why this support is not being offered"),
        (Step.END, "outcome", "Enter the outcome of this support"),
    ],
)
def test_required_text_that_is_only_spaces_is_refused(
    social_worker, assessment, step, field, message
):
    item = STEP_FACTORIES[step](assessment=assessment)
    service, kwargs = STEP_CALLS[step]

    with pytest.raises(ValidationError) as error:
        service(item=item, version=1, actor=social_worker, **{**kwargs, field: "   "})

    assert field_errors(error) == {field: [message]}
