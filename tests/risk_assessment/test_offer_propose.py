"""Proposing the CRE Offer from an approved assessment, and the default catalogue."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from cre_portal.audit.models import CaseEvent
from referrals.codes import RiskLevel
from risk_assessment.models import Assessment, Intervention, InterventionCategory, OfferItem
from risk_assessment.services.offer import offer_propose
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_offer import (
    AcceptedOfferItemFactory,
    ApprovedAssessmentFactory,
    DeclinedOfferItemFactory,
    DeliveredOfferItemFactory,
    EndedOfferItemFactory,
    InterventionFactory,
    NotOfferedOfferItemFactory,
    OfferedOfferItemFactory,
    OfferItemFactory,
)

pytestmark = pytest.mark.django_db

Status = OfferItem.Status
LOW, MEDIUM, HIGH = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH


@pytest.fixture
def catalogue():
    """A small catalogue of its own: the default one is set aside."""
    Intervention.objects.update(is_active=False)
    return {
        "worker": InterventionFactory(name="Intensive worker", levels=[HIGH]),
        "strategy": InterventionFactory(
            name="Strategy meeting", levels=[HIGH], default_provider="Children's social care"
        ),
        "parenting": InterventionFactory(
            name="Parenting support", category=InterventionCategory.FAMILY, levels=[MEDIUM, HIGH]
        ),
        "youth_club": InterventionFactory(name="Youth club", levels=[LOW, MEDIUM]),
        "retired": InterventionFactory(name="Retired support", levels=[HIGH], is_active=False),
    }


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


def proposed(assessment):
    return {
        item.intervention.name for item in assessment.offer_items.select_related("intervention")
    }


# --- What is proposed ---------------------------------------------------------------------------
def test_an_approved_high_assessment_proposes_the_active_high_interventions(
    catalogue, child, team_manager
):
    # given
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    # when
    items = offer_propose(assessment=assessment, actor=team_manager)

    # then
    assert {item.intervention.name for item in items} == {
        "Intensive worker",
        "Strategy meeting",
        "Parenting support",
    }
    assert proposed(assessment) == {item.intervention.name for item in items}
    strategy = assessment.offer_items.get(intervention=catalogue["strategy"])
    assert (strategy.status, strategy.child, strategy.provider, strategy.version) == (
        Status.PROPOSED,
        child,
        "Children's social care",
        1,
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (LOW, {"Youth club"}),
        (MEDIUM, {"Parenting support", "Youth club"}),
    ],
)
def test_each_level_proposes_what_is_proportionate_to_it(catalogue, child, level, expected):
    assessment = ApprovedAssessmentFactory(child=child, computed_level=level)

    offer_propose(assessment=assessment, actor=None)

    assert proposed(assessment) == expected


def test_the_proposal_is_put_on_the_chronology(catalogue, child, team_manager):
    # given
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    # when
    offer_propose(assessment=assessment, actor=team_manager)

    # then
    event = CaseEvent.objects.get(child_id=child.pk)
    assert (event.category, event.verb, event.summary) == (
        CaseEvent.Category.ASSESSMENT,
        "offer_proposed",
        "CRE Offer proposed: 3 interventions for High risk",
    )
    assert (event.object_type, event.object_id, event.actor) == (
        "risk_assessment.assessment",
        str(assessment.pk),
        team_manager,
    )


def test_one_proposal_is_counted_in_the_singular(catalogue, child):
    assessment = ApprovedAssessmentFactory(child=child, computed_level=LOW)

    offer_propose(assessment=assessment, actor=None)

    assert CaseEvent.objects.get().summary == "CRE Offer proposed: 1 intervention for Low risk"


def test_proposing_twice_changes_nothing(catalogue, child, team_manager):
    # given
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)
    offer_propose(assessment=assessment, actor=team_manager)

    # when
    again = offer_propose(assessment=assessment, actor=team_manager)

    # then
    assert again == []
    assert assessment.offer_items.count() == 3
    assert CaseEvent.objects.count() == 1


def test_nothing_to_propose_records_no_event(catalogue, child):
    Intervention.objects.update(is_active=False)
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    assert offer_propose(assessment=assessment, actor=None) == []
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize(
    "factory",
    [OfferedOfferItemFactory, AcceptedOfferItemFactory, DeliveredOfferItemFactory],
    ids=["offered", "accepted", "delivered"],
)
def test_support_already_in_progress_is_not_proposed_again(catalogue, child, factory):
    # given: the intensive worker is in progress from an earlier assessment
    earlier = ApprovedAssessmentFactory(child=child)
    in_progress = factory(assessment=earlier, intervention=catalogue["worker"])
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    # when
    offer_propose(assessment=assessment, actor=None)

    # then: kept on the earlier assessment, not duplicated
    assert proposed(assessment) == {"Strategy meeting", "Parenting support"}
    in_progress.refresh_from_db()
    assert (in_progress.assessment, in_progress.status) == (earlier, factory.status)


@pytest.mark.parametrize(
    "factory",
    [DeclinedOfferItemFactory, EndedOfferItemFactory, NotOfferedOfferItemFactory],
    ids=["declined", "ended", "not offered"],
)
def test_support_that_is_over_is_proposed_again(catalogue, child, factory):
    factory(assessment=ApprovedAssessmentFactory(child=child), intervention=catalogue["worker"])
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    offer_propose(assessment=assessment, actor=None)

    assert "Intensive worker" in proposed(assessment)


def test_another_childs_support_does_not_count(catalogue, child):
    DeliveredOfferItemFactory(intervention=catalogue["worker"])
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    offer_propose(assessment=assessment, actor=None)

    assert "Intensive worker" in proposed(assessment)


def test_earlier_proposals_nobody_acted_on_are_replaced(catalogue, child):
    # given: a Medium assessment's proposals were never offered
    earlier = ApprovedAssessmentFactory(child=child, computed_level=MEDIUM)
    stale = OfferItemFactory(assessment=earlier, intervention=catalogue["youth_club"])
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    # when
    offer_propose(assessment=assessment, actor=None)

    # then
    stale.refresh_from_db()
    assert (stale.status, stale.version) == (Status.WITHDRAWN, 2)
    assert assessment.assessment_ref in stale.outcome
    assert CaseEvent.objects.get().summary == "CRE Offer proposed: 3 interventions for High risk"


@pytest.mark.parametrize(
    "status",
    [Assessment.Status.DRAFT, Assessment.Status.SUBMITTED, Assessment.Status.RETURNED],
)
def test_only_an_approved_assessment_proposes(catalogue, child, status):
    assessment = ApprovedAssessmentFactory.build(child=child, status=status)

    with pytest.raises(ValidationError):
        offer_propose(assessment=assessment, actor=None)


# --- The default catalogue (data migration 0004) ------------------------------------------------
def test_the_default_catalogue_covers_every_category_and_level():
    defaults = Intervention.objects.filter(is_active=True)

    assert defaults.count() >= 20
    assert set(defaults.values_list("category", flat=True)) == set(InterventionCategory.values)
    for level in RiskLevel.values:
        assert defaults.filter(levels__contains=[level]).count() >= 5, level
    assert all(intervention.default_provider for intervention in defaults)
    assert all(intervention.description for intervention in defaults)


def test_a_high_assessment_with_the_default_catalogue_proposes_intensive_support(child):
    assessment = ApprovedAssessmentFactory(child=child, computed_level=HIGH)

    offer_propose(assessment=assessment, actor=None)

    names = proposed(assessment)
    assert {
        "Intensive specialist CRE worker (2 to 3 times a week)",
        "Strategy discussion",
        "National Referral Mechanism consideration",
        "Disruption of associated persons and places through tasking",
    } <= names
    assert "Specialist CRE worker (weekly)" not in names


def test_the_default_catalogue_migration_reverses_keeping_used_support():
    # given: one default intervention has been part of a child's Offer
    migration = importlib.import_module("risk_assessment.migrations.0004_default_interventions")
    used = Intervention.objects.get(name="Strategy discussion")
    OfferItemFactory(intervention=used)

    # when
    migration.remove_defaults(apps, None)

    # then: only the used one is left, and administrators no longer manage the catalogue
    assert list(Intervention.objects.values_list("name", flat=True)) == ["Strategy discussion"]
    administrator = Group.objects.get(name="administrator")
    assert not administrator.permissions.filter(codename="change_intervention").exists()

    # and forwards again restores the rest without duplicating
    migration.add_defaults(apps, None)
    assert Intervention.objects.count() == len(migration.INTERVENTIONS)
    assert administrator.permissions.filter(codename="change_intervention").exists()
