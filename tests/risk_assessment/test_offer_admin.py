"""The CRE Offer catalogue in Django admin: administrators add, edit and deactivate."""

import pytest
from django.urls import reverse

from referrals.codes import RiskLevel
from risk_assessment.models import Intervention, InterventionCategory
from tests.risk_assessment.factories_offer import InterventionFactory, OfferedOfferItemFactory

pytestmark = pytest.mark.django_db


# --- The catalogue in Django admin --------------------------------------------------------------
def test_administrator_adds_an_intervention_in_admin(signed_in, admin_user):
    client = signed_in(admin_user)
    data = {
        "name": "Boxing club",
        "category": InterventionCategory.VOLUNTARY,
        "description": "Weekly sessions.",
        "levels": [RiskLevel.HIGH, RiskLevel.LOW],
        "default_provider": "Northshire Boxing Club",
        "is_active": "on",
    }

    response = client.post(reverse("admin:risk_assessment_intervention_add"), data)

    assert response.status_code == 302
    assert Intervention.objects.get(name="Boxing club").levels == [RiskLevel.LOW, RiskLevel.HIGH]


def test_administrator_deactivates_but_cannot_delete_an_intervention_that_was_offered(
    signed_in, admin_user
):
    # given
    used = OfferedOfferItemFactory().intervention
    unused = InterventionFactory()
    client = signed_in(admin_user)
    changelist = reverse("admin:risk_assessment_intervention_changelist")

    # when
    client.post(changelist, {"action": "deactivate", "_selected_action": [used.pk]})
    delete_used = client.get(reverse("admin:risk_assessment_intervention_delete", args=[used.pk]))
    delete_unused = client.get(
        reverse("admin:risk_assessment_intervention_delete", args=[unused.pk])
    )

    # then
    used.refresh_from_db()
    assert not used.is_active
    assert delete_used.status_code == 403
    assert delete_unused.status_code == 200


def test_the_catalogue_list_in_admin_shows_levels(signed_in, admin_user):
    response = signed_in(admin_user).get(reverse("admin:risk_assessment_intervention_changelist"))

    assert response.status_code == 200
    assert "Medium, High" in response.content.decode()
