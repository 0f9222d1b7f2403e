"""Adding support from the catalogue and tracking each item: offered, answered, delivered, ended."""

import datetime

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import LONDON
from referrals.codes import RiskLevel
from risk_assessment.models import Assessment, OfferItem
from risk_assessment.services import offer as services
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_offer import (
    AcceptedOfferItemFactory,
    ApprovedAssessmentFactory,
    DeclinedOfferItemFactory,
    DeliveredOfferItemFactory,
    EndedOfferItemFactory,
    InterventionFactory,
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


def start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def field_errors(error):
    return {
        field: [str(m) for m in messages] for field, messages in error.value.message_dict.items()
    }


# --- Adding from the catalogue ------------------------------------------------------------------
def test_add_puts_support_of_any_level_under_the_latest_approved_assessment(social_worker, child):
    # given: an older and a newer approved assessment, and Low-level support
    ApprovedAssessmentFactory(child=child, completed_on=datetime.date(2026, 1, 5))
    latest = ApprovedAssessmentFactory(child=child, completed_on=datetime.date(2026, 5, 5))
    ApprovedAssessmentFactory(child=child, status=Assessment.Status.DRAFT, completed_on=None)
    youth_club = InterventionFactory(levels=[RiskLevel.LOW], default_provider="Youth service")

    # when
    item = services.offer_item_add(child=child, intervention=youth_club, actor=social_worker)

    # then
    item.refresh_from_db()
    assert (item.assessment, item.status, item.provider) == (
        latest,
        Status.PROPOSED,
        "Youth service",
    )
    [event] = events_of(item)
    assert (event.category, event.verb, event.summary, event.actor) == (
        CaseEvent.Category.ASSESSMENT,
        "offer_item_added",
        f"CRE Offer: {youth_club.name} added",
        social_worker,
    )


def test_add_needs_an_approved_assessment(social_worker, child):
    ApprovedAssessmentFactory(child=child, status=Assessment.Status.SUBMITTED, completed_on=None)

    with pytest.raises(ValidationError, match="approved CRE risk assessment"):
        services.offer_item_add(
            child=child, intervention=InterventionFactory(), actor=social_worker
        )


@pytest.mark.parametrize(
    "factory", [OfferItemFactory, OfferedOfferItemFactory, DeliveredOfferItemFactory]
)
def test_add_refuses_support_the_child_already_has_open(social_worker, assessment, factory):
    earlier = ApprovedAssessmentFactory(
        child=assessment.child, completed_on=datetime.date(2026, 1, 5)
    )
    existing = factory(assessment=earlier)

    with pytest.raises(ValidationError) as error:
        services.offer_item_add(
            child=assessment.child, intervention=existing.intervention, actor=social_worker
        )

    assert field_errors(error) == {
        "intervention": [f"{existing.intervention.name} is already part of the child's CRE Offer"]
    }


def test_add_refuses_support_already_used_under_the_latest_assessment(social_worker, assessment):
    declined = DeclinedOfferItemFactory(assessment=assessment)

    with pytest.raises(ValidationError):
        services.offer_item_add(
            child=assessment.child, intervention=declined.intervention, actor=social_worker
        )


def test_add_refuses_an_inactive_intervention(social_worker, assessment):
    retired = InterventionFactory(is_active=False)

    with pytest.raises(ValidationError) as error:
        services.offer_item_add(child=assessment.child, intervention=retired, actor=social_worker)

    assert field_errors(error) == {"intervention": ["Select support from the catalogue"]}


def test_addable_interventions_leave_out_open_used_and_inactive_support(assessment):
    open_item = OfferedOfferItemFactory(assessment=assessment)
    ended_earlier = EndedOfferItemFactory(
        assessment=ApprovedAssessmentFactory(
            child=assessment.child, completed_on=datetime.date(2026, 1, 5)
        )
    )
    inactive, free = InterventionFactory(is_active=False), InterventionFactory()

    addable = services.addable_interventions(assessment.child)

    assert free in addable
    assert ended_earlier.intervention in addable
    assert open_item.intervention not in addable
    assert inactive not in addable


@pytest.mark.parametrize("role", [Role.MISSING_OFFICER, Role.ANALYST])
def test_add_is_refused_without_the_capability(team, assessment, role):
    user = UserFactory(team=team, roles=[role])

    with pytest.raises(PermissionDenied):
        services.offer_item_add(
            child=assessment.child, intervention=InterventionFactory(), actor=user
        )


def test_add_is_refused_for_another_teams_child(other_team, assessment):
    user = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])

    with pytest.raises(PermissionDenied):
        services.offer_item_add(
            child=assessment.child, intervention=InterventionFactory(), actor=user
        )


# --- Each step ----------------------------------------------------------------------------------
def test_offer_records_the_date_and_provider(social_worker, assessment):
    # given
    item = OfferItemFactory(assessment=assessment)

    # when
    services.offer_item_offer(
        item=item,
        offered_on=datetime.date(2026, 5, 4),
        provider="  Northshire Youth Service ",
        version=1,
        actor=social_worker,
    )

    # then
    item.refresh_from_db()
    assert (item.status, item.offered_on, item.provider, item.version) == (
        Status.OFFERED,
        datetime.date(2026, 5, 4),
        "Northshire Youth Service",
        2,
    )
    [event] = events_of(item)
    assert (event.verb, event.summary, event.occurred_at, event.is_significant) == (
        "offer_item_offered",
        f"CRE Offer: {item.intervention.name} offered",
        start_of(datetime.date(2026, 5, 4)),
        False,
    )


def test_not_offered_keeps_the_reason_off_the_chronology(social_worker, assessment):
    item = OfferItemFactory(assessment=assessment)

    services.offer_item_not_offer(
        item=item, reason="Gets this from the youth offending team", version=1, actor=social_worker
    )

    item.refresh_from_db()
    assert (item.status, item.outcome) == (
        Status.WITHDRAWN,
        "Gets this from the youth offending team",
    )
    [event] = events_of(item)
    assert event.summary == f"CRE Offer: {item.intervention.name} not offered"
    assert "youth offending" not in event.summary


def test_accept_records_the_date(social_worker, assessment):
    item = OfferedOfferItemFactory(assessment=assessment)

    services.offer_item_accept(
        item=item, responded_on=datetime.date(2026, 3, 4), version=1, actor=social_worker
    )

    item.refresh_from_db()
    assert (item.status, item.responded_on) == (Status.ACCEPTED, datetime.date(2026, 3, 4))
    [event] = events_of(item)
    assert (event.verb, event.summary, event.occurred_at) == (
        "offer_item_accepted",
        f"CRE Offer: {item.intervention.name} accepted",
        start_of(datetime.date(2026, 3, 4)),
    )


def test_decline_is_significant_and_what_was_said_is_optional(social_worker, assessment):
    item = OfferedOfferItemFactory(assessment=assessment)

    services.offer_item_decline(
        item=item, responded_on=datetime.date(2026, 3, 8), reason="", version=1, actor=social_worker
    )

    item.refresh_from_db()
    assert (item.status, item.responded_on, item.outcome) == (
        Status.DECLINED,
        datetime.date(2026, 3, 8),
        "",
    )
    [event] = events_of(item)
    assert (event.verb, event.is_significant) == ("offer_item_declined", True)


def test_start_records_the_date_and_who_delivers_it(social_worker, assessment):
    item = AcceptedOfferItemFactory(assessment=assessment)

    services.offer_item_start(
        item=item,
        started_on=datetime.date(2026, 3, 9),
        provider="Barnardo's",
        version=1,
        actor=social_worker,
    )

    item.refresh_from_db()
    assert (item.status, item.started_on, item.provider) == (
        Status.DELIVERED,
        datetime.date(2026, 3, 9),
        "Barnardo's",
    )
    assert events_of(item)[0].summary == f"CRE Offer: {item.intervention.name} started"


def test_end_records_the_outcome_off_the_chronology(social_worker, assessment):
    item = DeliveredOfferItemFactory(assessment=assessment)

    services.offer_item_end(
        item=item,
        ended_on=datetime.date(2026, 5, 29),
        outcome="No missing episodes since March",
        version=1,
        actor=social_worker,
    )

    item.refresh_from_db()
    assert (item.status, item.ended_on, item.outcome) == (
        Status.ENDED,
        datetime.date(2026, 5, 29),
        "No missing episodes since March",
    )
    [event] = events_of(item)
    assert (event.verb, event.summary) == (
        "offer_item_ended",
        f"CRE Offer: {item.intervention.name} ended",
    )


def test_accepted_support_can_end_before_it_starts(social_worker, assessment):
    item = AcceptedOfferItemFactory(assessment=assessment)

    services.offer_item_end(
        item=item,
        ended_on=datetime.date(2026, 3, 6),
        outcome="Moved out of the area",
        version=1,
        actor=social_worker,
    )

    item.refresh_from_db()
    assert (item.status, item.started_on) == (Status.ENDED, None)


def test_every_step_is_kept_in_the_items_history(social_worker, assessment):
    item = OfferItemFactory(assessment=assessment)
    day = datetime.date(2026, 3, 4)

    services.offer_item_offer(
        item=item, offered_on=day, provider="X", version=1, actor=social_worker
    )
    services.offer_item_accept(item=item, responded_on=day, version=2, actor=social_worker)

    statuses = (
        pghistory.models.Events.objects.tracks(item).order_by("pgh_created_at", "pgh_id")
    ).values_list("pgh_data__status", flat=True)
    assert list(statuses) == [Status.PROPOSED, Status.OFFERED, Status.ACCEPTED]
