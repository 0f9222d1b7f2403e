"""CRE Offer step pages: offered or not, accepted or declined, started, ended."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from risk_assessment.models import OfferItem
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_offer import (
    AcceptedOfferItemFactory,
    ApprovedAssessmentFactory,
    DeclinedOfferItemFactory,
    DeliveredOfferItemFactory,
    EndedOfferItemFactory,
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


def date_data(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def text(response):
    return " ".join(response.content.decode().split())


def templates(response):
    return [t.name for t in response.templates]


# --- The steps ----------------------------------------------------------------------------------
def test_offer_page_prefills_the_provider_and_version(signed_in, social_worker, assessment):
    item = OfferItemFactory(assessment=assessment)

    response = signed_in(social_worker).get(
        reverse("risk_assessment:offer_item_offer", args=[item.pk])
    )

    assert response.status_code == 200
    assert "risk_assessment/offer_item_step.html" in templates(response)
    form = response.context["form"]
    assert (form["version"].value(), form["provider"].value()) == (
        1,
        "Northshire exploitation service",
    )


@pytest.mark.parametrize(
    ("factory", "name", "data", "status", "done"),
    [
        (
            OfferItemFactory,
            "risk_assessment:offer_item_offer",
            {**date_data("offered_on", datetime.date(2026, 5, 4)), "provider": "Safe Steps"},
            Status.OFFERED,
            "recorded as offered",
        ),
        (
            OfferItemFactory,
            "risk_assessment:offer_item_not_offered",
            {"reason": "Already has a youth worker"},
            Status.WITHDRAWN,
            "recorded as not offered",
        ),
        (
            OfferedOfferItemFactory,
            "risk_assessment:offer_item_accept",
            date_data("responded_on", datetime.date(2026, 3, 5)),
            Status.ACCEPTED,
            "recorded as accepted",
        ),
        (
            OfferedOfferItemFactory,
            "risk_assessment:offer_item_decline",
            date_data("responded_on", datetime.date(2026, 3, 5)),
            Status.DECLINED,
            "recorded as declined",
        ),
        (
            AcceptedOfferItemFactory,
            "risk_assessment:offer_item_start",
            {**date_data("started_on", datetime.date(2026, 3, 9)), "provider": "Safe Steps"},
            Status.DELIVERED,
            "recorded as started",
        ),
        (
            DeliveredOfferItemFactory,
            "risk_assessment:offer_item_end",
            {**date_data("ended_on", datetime.date(2026, 5, 1)), "outcome": "Safer at school"},
            Status.ENDED,
            "recorded as ended",
        ),
    ],
)
def test_each_step_saves_and_goes_back_to_the_item(
    signed_in, social_worker, assessment, factory, name, data, status, done
):
    item = factory(assessment=assessment)

    response = signed_in(social_worker).post(
        reverse(name, args=[item.pk]), {**data, "version": "1"}, follow=True
    )

    assert response.redirect_chain[0][0] == reverse(
        "risk_assessment:offer_item_detail", args=[item.pk]
    )
    assert f"{item.intervention.name}: {done}" in text(response)
    item.refresh_from_db()
    assert (item.status, item.version) == (status, 2)
    assert CaseEvent.objects.filter(object_id=str(item.pk)).count() == 1


def test_a_step_with_errors_keeps_the_input(signed_in, social_worker, assessment):
    item = DeliveredOfferItemFactory(assessment=assessment)
    data = {"ended_on_0": "31", "ended_on_1": "2", "ended_on_2": "2026", "outcome": "Went well"}

    response = signed_in(social_worker).post(
        reverse("risk_assessment:offer_item_end", args=[item.pk]), {**data, "version": "1"}
    )

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "The date it ended must be a real date" in page
    assert 'href="#id_ended_on_0"' in page
    assert "Went well" in page
    assert 'value="31"' in page
    assert response.content.decode().count("<title>Error: ") == 1
    assert OfferItem.objects.get().status == Status.DELIVERED


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("risk_assessment:offer_item_offer", {"provider": "X"}, "Enter the date it was offered"),
        (
            "risk_assessment:offer_item_offer",
            date_data("offered_on", datetime.date(2026, 5, 4)),
            "Enter who will provide this support",
        ),
        (
            "risk_assessment:offer_item_not_offered",
            {},
            "Enter why this support is not being offered",
        ),
    ],
)
def test_step_errors_are_gov_uk_style(signed_in, social_worker, assessment, name, data, message):
    item = OfferItemFactory(assessment=assessment)

    response = signed_in(social_worker).post(
        reverse(name, args=[item.pk]), {**data, "version": "1"}
    )

    assert message in text(response)


def test_a_date_before_the_last_step_errs_at_the_date(signed_in, social_worker, assessment):
    item = OfferedOfferItemFactory(assessment=assessment)

    response = signed_in(social_worker).post(
        reverse("risk_assessment:offer_item_accept", args=[item.pk]),
        {**date_data("responded_on", datetime.date(2026, 3, 1)), "version": "1"},
    )

    assert response.context["form"].errors["responded_on"] == [
        "The date it was accepted must be the same as or after the date it was offered "
        "(4 March 2026)"
    ]
    assert 'href="#id_responded_on_0"' in response.content.decode()


def test_a_step_after_someone_else_changed_the_item_keeps_the_input_and_says_so(
    signed_in, social_worker, assessment
):
    # given: someone changed the provider (version 2) after this user loaded the form
    item = AcceptedOfferItemFactory(assessment=assessment)
    OfferItem.objects.filter(pk=item.pk).update(provider="Barnardo's", version=2)
    data = {
        **date_data("started_on", datetime.date(2026, 3, 9)),
        "provider": "Safe Steps",
        "version": "1",
    }

    # when
    response = signed_in(social_worker).post(
        reverse("risk_assessment:offer_item_start", args=[item.pk]), data
    )

    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert any("Someone else changed this record" in e for e in form.non_field_errors())
    assert "Safe Steps" in text(response)
    assert 'value="9"' in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.provider) == (Status.ACCEPTED, "Barnardo's")


def test_a_step_that_is_not_open_sends_you_back_to_the_item(signed_in, social_worker, assessment):
    item = EndedOfferItemFactory(assessment=assessment)

    response = signed_in(social_worker).get(
        reverse("risk_assessment:offer_item_offer", args=[item.pk]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse(
        "risk_assessment:offer_item_detail", args=[item.pk]
    )
    assert "That step is not open for this support now." in text(response)


def test_a_step_that_closed_meanwhile_shows_why_on_the_form(signed_in, social_worker, assessment):
    item = DeclinedOfferItemFactory(assessment=assessment)

    response = signed_in(social_worker).post(
        reverse("risk_assessment:offer_item_accept", args=[item.pk]),
        {**date_data("responded_on", datetime.date(2026, 3, 6)), "version": "1"},
    )

    assert response.status_code == 200
    assert "You can only record an answer to support that has been offered" in text(response)


@pytest.mark.parametrize("name", STEP_URLS)
def test_steps_are_forbidden_to_the_missing_officer(signed_in, team, assessment, name):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    item = OfferItemFactory(assessment=assessment)

    response = signed_in(officer).post(reverse(name, args=[item.pk]), {"version": "1"})

    assert response.status_code == 403


@pytest.mark.parametrize("name", STEP_URLS)
def test_steps_about_another_teams_child_are_not_found(signed_in, social_worker, other_team, name):
    item = OfferItemFactory(assessment__child=ChildFactory(team=other_team))

    response = signed_in(social_worker).get(reverse(name, args=[item.pk]))

    assert response.status_code == 404
