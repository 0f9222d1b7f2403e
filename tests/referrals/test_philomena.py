"""The Philomena profile: saving with version checks, the pages, and the printable copy."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry, CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.models import PhilomenaProfile
from referrals.services.philomena import philomena_profile_save
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory
from tests.referrals.factories_missing import PhilomenaProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(team):
    return LookedAfterChildFactory(team=team)


# --- Saving -------------------------------------------------------------------------------------
def test_first_save_creates_the_profile_and_records_it(social_worker, child):
    profile = philomena_profile_save(
        child=child,
        actor=social_worker,
        expected_version=1,
        details={"physical_description": "Tall, red hair", "phone_numbers": "07700 900123"},
    )

    profile.refresh_from_db()
    assert profile.physical_description == "Tall, red hair"
    assert profile.updated_by == social_worker
    assert profile.version == 2
    event = CaseEvent.objects.get()
    assert (event.category, event.verb, event.summary) == (
        "CHILD",
        "philomena_created",
        "Philomena profile created",
    )
    assert "red hair" not in event.summary


def test_later_saves_update_it(social_worker, child):
    profile = PhilomenaProfileFactory(child=child)

    philomena_profile_save(
        child=child, actor=social_worker, expected_version=1, details={"associates": "Cousin Dee"}
    )

    profile.refresh_from_db()
    assert profile.associates == "Cousin Dee"
    assert profile.physical_description == ""
    assert CaseEvent.objects.get().verb == "philomena_updated"


def test_a_save_from_a_stale_copy_is_refused_naming_the_change(social_worker, team_manager, child):
    philomena_profile_save(
        child=child, actor=team_manager, expected_version=1, details={"social_media": "@someone"}
    )

    with pytest.raises(StaleEdit) as stale:
        philomena_profile_save(
            child=child, actor=social_worker, expected_version=1, details={"associates": "X"}
        )

    assert "social media" in stale.value.changed_fields
    assert PhilomenaProfile.objects.get().associates == ""


def test_only_looked_after_children_have_a_profile(social_worker, team):
    with pytest.raises(ValidationError):
        philomena_profile_save(
            child=ChildFactory(team=team), actor=social_worker, expected_version=1, details={}
        )


def test_profile_refused_to_those_who_do_not_edit_records(team, child):
    with pytest.raises(PermissionDenied):
        philomena_profile_save(
            child=child,
            actor=UserFactory(team=team, roles=[Role.DIRECTOR]),
            expected_version=1,
            details={},
        )


# --- The pages ----------------------------------------------------------------------------------
def url(name, child):
    return reverse(f"referrals:{name}", args=[child.pk])


def test_profile_page_shows_it_and_logs_the_read(signed_in, social_worker, child):
    PhilomenaProfileFactory(child=child, medical_needs="Asthma: blue inhaler")

    response = signed_in(social_worker).get(url("philomena_detail", child))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Asthma: blue inhaler" in html
    assert "Not kept in CRE Portal" in html
    assert url("philomena_print", child) in html
    assert AccessLogEntry.objects.filter(child_id=child.pk).count() == 1


def test_the_tab_shows_for_looked_after_children_only(signed_in, social_worker, child, team):
    client = signed_in(social_worker)
    other = ChildFactory(team=team)

    looked_after = client.get(url("child_missing", child)).content.decode()
    not_looked_after = client.get(url("child_missing", other)).content.decode()

    assert url("philomena_detail", child) in looked_after
    assert url("philomena_detail", other) not in not_looked_after


def test_profile_page_of_a_child_not_looked_after_says_so(signed_in, social_worker, team):
    other = ChildFactory(team=team)
    client = signed_in(social_worker)

    detail = client.get(url("philomena_detail", other))
    edit = client.get(url("philomena_edit", other))

    assert "kept only for looked-after children" in detail.content.decode()
    assert edit["Location"] == url("philomena_detail", other)


def test_editing_saves_and_goes_back_to_the_profile(signed_in, social_worker, child):
    data = {"physical_description": "Slim", "places_frequented": "The retail park", "version": "1"}

    response = signed_in(social_worker).post(url("philomena_edit", child), data)

    assert response["Location"] == url("philomena_detail", child)
    assert PhilomenaProfile.objects.get(child=child).places_frequented == "The retail park"


def test_a_stale_edit_keeps_the_input_and_names_the_change(signed_in, social_worker, child):
    # given
    PhilomenaProfileFactory(child=child)
    client = signed_in(social_worker)
    client.post(url("philomena_edit", child), {"phone_numbers": "07700 900001", "version": "1"})

    # when
    response = client.post(url("philomena_edit", child), {"associates": "Mine", "version": "1"})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this record while you were editing it (phone numbers" in html
    assert "Mine" in html


def test_edit_form_shows_the_saved_profile(signed_in, social_worker, child):
    PhilomenaProfileFactory(child=child, social_media="snap: kay")

    form = signed_in(social_worker).get(url("philomena_edit", child)).context["form"]

    assert form["social_media"].value() == "snap: kay"
    assert form["version"].value() == 1


def test_the_printable_copy_is_a_plain_page_and_a_logged_read(signed_in, social_worker, child):
    PhilomenaProfileFactory(child=child, distinguishing_features="Scar above left eye")

    response = signed_in(social_worker).get(url("philomena_print", child))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Scar above left eye" in html
    assert "data-app-print" in html
    assert "govuk-service-navigation" not in html
    assert child.full_name in html
    assert AccessLogEntry.objects.filter(child_id=child.pk, user=social_worker).count() == 1


@pytest.mark.parametrize("name", ["philomena_detail", "philomena_edit", "philomena_print"])
def test_another_teams_childs_profile_is_not_found(signed_in, social_worker, other_team, name):
    other = LookedAfterChildFactory(team=other_team)

    assert signed_in(social_worker).get(url(name, other)).status_code == 404
