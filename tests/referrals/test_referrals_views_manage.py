"""Pages of the managers' steps: screening, allocation, closure and the referrals list."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from referrals.models import Referral
from referrals.services.referrals import referral_close, referral_update
from tests.accounts.factories import TeamFactory, UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import (
    AcceptedReferralFactory,
    ClosedReferralFactory,
    NoFurtherActionReferralFactory,
    ReferralFactory,
)
from tests.referrals.test_referrals_views import _date, _edit_post, _referral_post, _text

pytestmark = pytest.mark.django_db


# --- Screening ----------------------------------------------------------------------------------
def test_screening_in(signed_in, team_manager):
    referral = ReferralFactory(child__team=team_manager.team)
    today = timezone.localdate()

    response = signed_in(team_manager).post(
        reverse("referrals:referral_screen", args=[referral.pk]),
        {"decision": "ACCEPTED", **_date("screened_on", today), "rationale": "Indicators met."},
    )

    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    referral.refresh_from_db()
    assert (referral.status, referral.screened_by, referral.screened_on) == (
        "ACCEPTED",
        team_manager,
        today,
    )


def test_screening_form_defaults_to_today(signed_in, team_manager):
    referral = ReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).get(reverse("referrals:referral_screen", args=[referral.pk]))

    assert f'value="{timezone.localdate().year}"' in _text(response)


def test_screening_errors_keep_the_input(signed_in, team_manager):
    referral = ReferralFactory(child__team=team_manager.team)
    before = referral.received_on - datetime.timedelta(days=1)

    response = signed_in(team_manager).post(
        reverse("referrals:referral_screen", args=[referral.pk]),
        {"decision": "NFA", **_date("screened_on", before), "rationale": "Checked with school."},
    )

    page = _text(response)
    assert "Screening date must be the same as or after the date the referral was received" in page
    assert "Checked with school." in page
    assert 'value="NFA"\n      \n        checked' in page or 'checked="checked"' in page
    referral.refresh_from_db()
    assert referral.status == "RECEIVED"


def test_screening_without_a_decision(signed_in, team_manager):
    referral = ReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).post(
        reverse("referrals:referral_screen", args=[referral.pk]), {}
    )

    page = _text(response)
    assert "Select whether to screen the referral in or out" in page
    assert "Enter the reasons for the decision" in page
    assert 'href="#id_decision_1"' in page


@pytest.mark.parametrize("factory", [AcceptedReferralFactory, NoFurtherActionReferralFactory])
def test_screening_twice_goes_back_with_a_message(signed_in, team_manager, factory):
    referral = factory(child__team=team_manager.team)

    response = signed_in(team_manager).get(
        reverse("referrals:referral_screen", args=[referral.pk]), follow=True
    )

    assert "This referral has already been screened" in _text(response)


def test_screened_meanwhile_shows_an_error_on_the_form(signed_in, team_manager, monkeypatch):
    # given: the page was loaded while the referral was awaiting screening, and another
    # manager screened it before this POST reached the service
    referral = ReferralFactory(child__team=team_manager.team)
    from referrals.views import referrals as views

    real = views.referral_screen

    def screened_first(**kwargs):
        Referral.objects.filter(pk=referral.pk).update(status="NFA")
        return real(**kwargs)

    monkeypatch.setattr(views, "referral_screen", screened_first)

    # when
    response = signed_in(team_manager).post(
        reverse("referrals:referral_screen", args=[referral.pk]),
        {
            "decision": "ACCEPTED",
            **_date("screened_on", timezone.localdate()),
            "rationale": "Indicators met.",
        },
    )

    # then
    assert response.status_code == 200
    assert "This referral has already been screened" in _text(response)
    assert "Indicators met." in _text(response)


def test_social_worker_may_not_screen(signed_in, social_worker):
    referral = ReferralFactory(child__team=social_worker.team)

    response = signed_in(social_worker).get(
        reverse("referrals:referral_screen", args=[referral.pk])
    )

    assert response.status_code == 403


# --- Allocation ---------------------------------------------------------------------------------
def test_allocation_shows_on_the_referral_and_the_childs_referrals_tab(
    signed_in, team_manager, social_worker
):
    # given
    referral = AcceptedReferralFactory(child__team=team_manager.team)
    client = signed_in(team_manager)
    form_page = client.get(reverse("referrals:referral_allocate", args=[referral.pk]))
    assert social_worker.display_name in _text(form_page)

    # when
    response = client.post(
        reverse("referrals:referral_allocate", args=[referral.pk]), {"worker": social_worker.pk}
    )

    # then
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    tab = client.get(reverse("referrals:child_referrals", args=[referral.child.pk]))
    assert social_worker.display_name in _text(tab)


def test_allocation_to_someone_outside_the_list_is_refused(signed_in, team_manager, other_team):
    referral = AcceptedReferralFactory(child__team=team_manager.team)
    outsider = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])

    response = signed_in(team_manager).post(
        reverse("referrals:referral_allocate", args=[referral.pk]), {"worker": outsider.pk}
    )

    assert "Select a worker from the list" in _text(response)
    referral.refresh_from_db()
    assert referral.allocated_worker is None


def test_allocating_the_same_worker_shows_the_services_message(
    signed_in, team_manager, social_worker
):
    referral = AcceptedReferralFactory(
        child__team=team_manager.team, allocated_worker=social_worker
    )

    response = signed_in(team_manager).post(
        reverse("referrals:referral_allocate", args=[referral.pk]), {"worker": social_worker.pk}
    )

    assert "The referral is already allocated to this worker" in _text(response)


def test_finished_referral_cannot_be_allocated(signed_in, team_manager):
    referral = ClosedReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).get(
        reverse("referrals:referral_allocate", args=[referral.pk]), follow=True
    )

    assert "Only an open referral can be allocated" in _text(response)


# --- Closure ------------------------------------------------------------------------------------
def test_closing_an_accepted_referral(signed_in, team_manager):
    referral = AcceptedReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).post(
        reverse("referrals:referral_close", args=[referral.pk]),
        {"reason": "MOVED_AWAY", **_date("closed_on", timezone.localdate()), "note": ""},
    )

    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    referral.refresh_from_db()
    assert (referral.status, referral.closure_reason) == ("CLOSED", "MOVED_AWAY")


def test_other_reason_needs_a_note(signed_in, team_manager):
    referral = AcceptedReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).post(
        reverse("referrals:referral_close", args=[referral.pk]),
        {"reason": "OTHER", **_date("closed_on", timezone.localdate()), "note": ""},
    )

    assert "Enter why the referral is being closed" in _text(response)
    assert 'href="#id_note"' in _text(response)


def test_closure_date_cannot_be_before_screening(signed_in, team_manager):
    referral = AcceptedReferralFactory(child__team=team_manager.team)
    before = referral.screened_on - datetime.timedelta(days=1)

    response = signed_in(team_manager).post(
        reverse("referrals:referral_close", args=[referral.pk]),
        {"reason": "ADULT", **_date("closed_on", before)},
    )

    assert "Closure date must be the same as or after the screening date" in _text(response)


def test_unscreened_referral_cannot_be_closed(signed_in, team_manager):
    referral = ReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).get(
        reverse("referrals:referral_close", args=[referral.pk]), follow=True
    )

    assert "Only an accepted, open referral can be closed" in _text(response)


# --- The managers' list -------------------------------------------------------------------------
def test_list_puts_awaiting_screening_first_oldest_first(signed_in, team_manager):
    # given
    today = timezone.localdate()
    team = team_manager.team
    old_accepted = AcceptedReferralFactory(
        child__team=team, received_on=today - datetime.timedelta(days=20)
    )
    new_received = ReferralFactory(child__team=team, received_on=today)
    old_received = ReferralFactory(child__team=team, received_on=today - datetime.timedelta(days=9))
    NoFurtherActionReferralFactory(child__team=team)

    # when
    response = signed_in(team_manager).get(reverse("referrals:referral_list"))

    # then
    listed = list(response.context["page_obj"].object_list)
    assert listed == [old_received, new_received, old_accepted]


def test_list_filters_by_status(signed_in, team_manager):
    ReferralFactory(child__team=team_manager.team)
    closed = ClosedReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).get(reverse("referrals:referral_list"), {"status": "CLOSED"})

    assert list(response.context["page_obj"].object_list) == [closed]


def test_list_can_show_all(signed_in, team_manager):
    ReferralFactory(child__team=team_manager.team)
    ClosedReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).get(reverse("referrals:referral_list"), {"status": "all"})

    assert response.context["page_obj"].paginator.count == 2


def test_list_rejects_an_unknown_status_with_a_message(signed_in, team_manager):
    ReferralFactory(child__team=team_manager.team)

    response = signed_in(team_manager).get(
        reverse("referrals:referral_list"), {"status": "nonsense\x00"}
    )

    assert response.status_code == 200
    assert "Select a status from the list" in _text(response)
    assert response.context["page_obj"].paginator.count == 1


def test_team_manager_sees_only_their_teams_referrals(signed_in, team_manager, other_team):
    mine = ReferralFactory(child__team=team_manager.team)
    ReferralFactory(child__team=other_team)

    response = signed_in(team_manager).get(reverse("referrals:referral_list"))

    assert list(response.context["page_obj"].object_list) == [mine]


def test_service_manager_sees_every_teams_referrals(signed_in, team, other_team):
    manager = UserFactory(team=team, roles=[Role.SERVICE_MANAGER])
    ReferralFactory(child__team=team)
    ReferralFactory(child__team=other_team)

    response = signed_in(manager).get(reverse("referrals:referral_list"))

    assert response.context["page_obj"].paginator.count == 2


def test_list_hides_names_of_restricted_children(signed_in, team_manager):
    referral = ReferralFactory(child__team=team_manager.team, child__is_restricted=True)

    page = _text(signed_in(team_manager).get(reverse("referrals:referral_list")))

    assert referral.child.child_ref in page
    assert referral.child.full_name not in page


def test_list_is_paginated_without_a_query_per_row(
    signed_in, team_manager, django_assert_max_num_queries
):
    # given
    teams = [team_manager.team, TeamFactory(name="Another")]
    for n in range(30):
        AcceptedReferralFactory(child__team=team_manager.team, screened_by=team_manager)
        ReferralFactory(child__team=teams[n % 2])
    client = signed_in(team_manager)

    # when
    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:referral_list"), {"status": "all"})

    # then
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["page_obj"].paginator.count == 45


def test_pagination_keeps_the_filter(signed_in, team_manager):
    for _ in range(26):
        ReferralFactory(child__team=team_manager.team)

    page = _text(
        signed_in(team_manager).get(reverse("referrals:referral_list"), {"status": "RECEIVED"})
    )

    assert "?page=2&amp;status=RECEIVED" in page


def test_social_worker_has_no_referrals_list(signed_in, social_worker):
    response = signed_in(social_worker).get(reverse("referrals:referral_list"))

    assert response.status_code == 403


# --- Refusals that reach the page -----------------------------------------------------------------
def _viewer_without_recording(team):
    """Someone who can open the team's children but holds no case-work capability."""
    user = UserFactory(team=team)
    user.user_permissions.add(Permission.objects.get(codename="view_team_children"))
    return user


def test_seeing_a_child_is_not_enough_to_record_a_referral(signed_in, team):
    child = ChildFactory(team=team)

    response = signed_in(_viewer_without_recording(team)).get(
        reverse("referrals:referral_create", args=[child.pk])
    )

    assert response.status_code == 403


def test_service_refusal_on_record_shows_at_the_field(signed_in, social_worker, monkeypatch):
    child = ChildFactory(team=social_worker.team)

    def refuse(**kwargs):
        raise ValidationError({"received_on": "The date the referral was received is wrong"})

    monkeypatch.setattr("referrals.views.referrals.referral_create", refuse)

    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]), _referral_post(confirm="yes")
    )

    page = _text(response)
    assert "The date the referral was received is wrong" in page
    assert 'href="#id_received_on_0"' in page


def test_screened_while_editing_shows_the_services_message(signed_in, social_worker, monkeypatch):
    referral = ReferralFactory(child__team=social_worker.team)
    real = referral_update

    def screened_first(**kwargs):
        Referral.objects.filter(pk=referral.pk).update(status="ACCEPTED")
        return real(**kwargs)

    monkeypatch.setattr("referrals.views.referrals.referral_update", screened_first)

    response = signed_in(social_worker).post(
        reverse("referrals:referral_edit", args=[referral.pk]), _edit_post(referral, source="6")
    )

    assert "its details can no longer be changed" in _text(response)


def test_closed_meanwhile_shows_the_services_message(signed_in, team_manager, monkeypatch):
    referral = AcceptedReferralFactory(child__team=team_manager.team)
    real = referral_close

    def closed_first(**kwargs):
        Referral.objects.filter(pk=referral.pk).update(status="NFA")
        return real(**kwargs)

    monkeypatch.setattr("referrals.views.referrals.referral_close", closed_first)

    response = signed_in(team_manager).post(
        reverse("referrals:referral_close", args=[referral.pk]),
        {"reason": "ADULT", **_date("closed_on", timezone.localdate())},
    )

    assert "Only a referral that has been screened in and is open can be closed" in _text(response)
