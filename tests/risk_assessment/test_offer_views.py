"""CRE Offer pages: the child's Offer tab, adding support, an item and its steps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from referrals.codes import RiskLevel
from risk_assessment.models import InterventionCategory, OfferItem
from tests.accounts.factories import UserFactory
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
TODAY = datetime.date(2026, 6, 1)
STEP_URLS = [
    "risk_assessment:offer_item_offer",
    "risk_assessment:offer_item_not_offered",
    "risk_assessment:offer_item_accept",
    "risk_assessment:offer_item_decline",
    "risk_assessment:offer_item_start",
    "risk_assessment:offer_item_end",
]


@pytest.fixture(autouse=True)
def pin_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


@pytest.fixture
def assessment(child):
    return ApprovedAssessmentFactory(child=child, assessment_ref="CRE-2026-0042")


def text(response):
    return " ".join(response.content.decode().split())


def templates(response):
    return [t.name for t in response.templates]


# --- The Offer tab ------------------------------------------------------------------------------
def test_offer_tab_groups_open_support_by_category_and_logs_the_read(
    signed_in, social_worker, assessment
):
    # given
    OfferItemFactory(
        assessment=assessment,
        intervention=InterventionFactory(
            name="Parenting sessions", category=InterventionCategory.FAMILY
        ),
    )
    OfferedOfferItemFactory(
        assessment=assessment,
        intervention=InterventionFactory(name="Weekly worker", default_provider="Safe Steps"),
    )
    EndedOfferItemFactory(assessment=assessment, intervention=InterventionFactory(name="Old club"))

    # when
    response = signed_in(social_worker).get(
        reverse("risk_assessment:child_offer", args=[assessment.child.pk])
    )

    # then
    assert response.status_code == 200
    assert "risk_assessment/child_offer.html" in templates(response)
    groups = response.context["groups"]
    assert [(label, [i.intervention.name for i in items]) for label, items in groups] == [
        ("Specialist services", ["Weekly worker"]),
        ("Family support", ["Parenting sessions"]),
    ]
    page = text(response)
    assert "Support proportionate to <strong>High risk</strong>, from assessment CRE-2026-0042" in (
        page
    )
    assert "Offered 4 Mar 2026" in page
    assert "Ended, declined or not offered" in page
    assert "Old club" in page
    assert 'aria-current="page">Offer</a>' in page
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id, entry.object_type) == (
        social_worker,
        assessment.child.pk,
        "referrals.child",
    )


def test_proposed_support_can_be_offered_or_not_from_the_tab(signed_in, social_worker, assessment):
    item = OfferItemFactory(assessment=assessment)

    response = signed_in(social_worker).get(
        reverse("risk_assessment:child_offer", args=[assessment.child.pk])
    )

    page = text(response)
    assert reverse("risk_assessment:offer_item_offer", args=[item.pk]) in page
    assert reverse("risk_assessment:offer_item_not_offered", args=[item.pk]) in page
    assert "Add support from the catalogue" in page


def test_offer_tab_without_an_approved_assessment_says_so(signed_in, social_worker, child):
    response = signed_in(social_worker).get(reverse("risk_assessment:child_offer", args=[child.pk]))

    assert response.status_code == 200
    assert "There is no approved assessment yet." in text(response)
    assert "Add support from the catalogue" not in text(response)


def test_offer_tab_offers_no_changes_to_the_missing_officer(signed_in, team, assessment):
    item = OfferItemFactory(assessment=assessment)
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])

    response = signed_in(officer).get(
        reverse("risk_assessment:child_offer", args=[assessment.child.pk])
    )

    assert response.status_code == 200
    assert item.intervention.name in text(response)
    assert reverse("risk_assessment:offer_item_offer", args=[item.pk]) not in text(response)
    assert "Add support from the catalogue" not in text(response)


def test_offer_tab_of_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).get(reverse("risk_assessment:child_offer", args=[child.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_offer_tab_query_count_does_not_grow(
    signed_in, social_worker, assessment, django_assert_max_num_queries
):
    for _ in range(15):
        OfferedOfferItemFactory(assessment=assessment)
    for _ in range(30):
        EndedOfferItemFactory(assessment=assessment)
    client = signed_in(social_worker)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("risk_assessment:child_offer", args=[assessment.child.pk]))

    assert len(response.context["page_obj"].object_list) == 25
    assert 'aria-label="Page 2"' in response.content.decode()


# --- Adding from the catalogue ------------------------------------------------------------------
def test_add_page_lists_support_not_already_on_the_offer(signed_in, social_worker, assessment):
    taken = OfferedOfferItemFactory(assessment=assessment).intervention
    free = InterventionFactory(name="Mentoring", levels=[RiskLevel.LOW, RiskLevel.MEDIUM])

    response = signed_in(social_worker).get(
        reverse("risk_assessment:offer_item_add", args=[assessment.child.pk])
    )

    assert response.status_code == 200
    assert "risk_assessment/offer_item_add.html" in templates(response)
    page = text(response)
    assert "Mentoring" in page
    assert "Specialist services. Usually offered at Low, Medium risk." in page
    assert f'value="{free.pk}"' in page
    assert f'value="{taken.pk}"' not in page


def test_add_creates_a_proposed_item_and_goes_to_it(signed_in, social_worker, assessment):
    intervention = InterventionFactory(name="Mentoring")

    response = signed_in(social_worker).post(
        reverse("risk_assessment:offer_item_add", args=[assessment.child.pk]),
        {"intervention": str(intervention.pk)},
        follow=True,
    )

    item = OfferItem.objects.get()
    assert response.redirect_chain[0][0] == reverse(
        "risk_assessment:offer_item_detail", args=[item.pk]
    )
    assert (item.assessment, item.intervention, item.status) == (
        assessment,
        intervention,
        Status.PROPOSED,
    )
    assert "Mentoring added to the CRE Offer" in text(response)


def test_add_without_a_choice_says_what_to_do(signed_in, social_worker, assessment):
    InterventionFactory()

    response = signed_in(social_worker).post(
        reverse("risk_assessment:offer_item_add", args=[assessment.child.pk]), {}
    )

    assert response.status_code == 200
    assert "Select the support you want to add" in text(response)
    assert 'href="#id_intervention_1"' in response.content.decode()
    assert response.content.decode().count("<title>Error: ") == 1


def test_add_of_support_already_on_the_offer_is_refused(signed_in, social_worker, assessment):
    taken = OfferedOfferItemFactory(assessment=assessment).intervention

    response = signed_in(social_worker).post(
        reverse("risk_assessment:offer_item_add", args=[assessment.child.pk]),
        {"intervention": str(taken.pk)},
    )

    assert response.status_code == 200
    assert "Select the support you want to add" in text(response)
    assert OfferItem.objects.count() == 1


def test_add_without_an_approved_assessment_explains(signed_in, social_worker, child):
    response = signed_in(social_worker).get(
        reverse("risk_assessment:offer_item_add", args=[child.pk])
    )

    assert response.status_code == 200
    assert "Support can be added once the child has an approved CRE risk assessment." in text(
        response
    )
    assert "<form" not in response.content.decode().split("<main", 1)[1]


def test_add_is_forbidden_to_the_missing_officer(signed_in, team, assessment):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])

    response = signed_in(officer).get(
        reverse("risk_assessment:offer_item_add", args=[assessment.child.pk])
    )

    assert response.status_code == 403


# --- An item ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("factory", "buttons"),
    [
        (OfferItemFactory, ["Record as offered", "Record as not offered"]),
        (OfferedOfferItemFactory, ["Record as accepted", "Record as declined"]),
        (AcceptedOfferItemFactory, ["Record as started", "Record as ended"]),
        (DeliveredOfferItemFactory, ["Record as ended"]),
        (DeclinedOfferItemFactory, []),
        (EndedOfferItemFactory, []),
        (NotOfferedOfferItemFactory, []),
    ],
)
def test_item_shows_only_the_allowed_next_steps(
    signed_in, social_worker, assessment, factory, buttons
):
    item = factory(assessment=assessment)

    response = signed_in(social_worker).get(
        reverse("risk_assessment:offer_item_detail", args=[item.pk])
    )

    assert response.status_code == 200
    assert "risk_assessment/offer_item_detail.html" in templates(response)
    assert [label for _, label in response.context["next_steps"]] == buttons


def test_item_shows_its_dates_and_outcome_and_logs_the_read(signed_in, social_worker, assessment):
    item = EndedOfferItemFactory(assessment=assessment)

    response = signed_in(social_worker).get(
        reverse("risk_assessment:offer_item_detail", args=[item.pk])
    )

    page = text(response)
    for fragment in (
        "4 March 2026",
        "6 March 2026",
        "10 March 2026",
        "29 May 2026",
        "Attending school full time again.",
        "CRE-2026-0042 (High risk)",
    ):
        assert fragment in page
    entry = AccessLogEntry.objects.get()
    assert (entry.child_id, entry.object_type, entry.object_id) == (
        assessment.child.pk,
        "risk_assessment.offeritem",
        str(item.pk),
    )


def test_item_offers_no_steps_to_the_missing_officer(signed_in, team, assessment):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    item = OfferItemFactory(assessment=assessment)

    response = signed_in(officer).get(reverse("risk_assessment:offer_item_detail", args=[item.pk]))

    assert response.status_code == 200
    assert response.context["next_steps"] == []


def test_item_about_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    item = OfferItemFactory(assessment__child=ChildFactory(team=other_team))

    response = signed_in(social_worker).get(
        reverse("risk_assessment:offer_item_detail", args=[item.pk])
    )

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("name", ["risk_assessment:offer_item_detail", *STEP_URLS])
def test_a_restricted_childs_item_asks_to_break_glass_first(signed_in, social_worker, name):
    child = ChildFactory(team=social_worker.team, is_restricted=True)
    item = OfferItemFactory(assessment__child=child)

    response = signed_in(social_worker).get(reverse(name, args=[item.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("referrals:child_break_glass", args=[child.pk]))
    assert not AccessLogEntry.objects.exists()
