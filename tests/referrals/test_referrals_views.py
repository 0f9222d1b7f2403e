import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.audit.models import AccessLogEntry, CaseEvent
from referrals.models import Referral
from tests.referrals.factories import ChildFactory, PlacedInChildFactory
from tests.referrals.factories_referrals import (
    AcceptedReferralFactory,
    ClosedReferralFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _referral_post(**overrides):
    received = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        **_date("received_on", received),
        "source": "2A",
        "referrer_name": "Ms Head",
        "referrer_organisation": "Northside Academy",
        "referrer_contact": "01632 960000",
        "exploitation_type": "CSE",
        "concerns": "Older boyfriend, gifts.",
    }
    return data | overrides


def _text(response):
    return response.content.decode()


# --- The child's Referrals tab ------------------------------------------------------------------
def test_referrals_tab_lists_the_childs_referrals_with_allocated_worker(signed_in, social_worker):
    # given
    child = ChildFactory(team=social_worker.team)
    accepted = AcceptedReferralFactory(child=child, allocated_worker=social_worker)
    ReferralFactory(child=ChildFactory(team=social_worker.team), referral_ref="REF-OTHER-CHILD")

    # when
    response = signed_in(social_worker).get(reverse("referrals:child_referrals", args=[child.pk]))

    # then
    assert response.status_code == 200
    assert "referrals/child_referrals.html" in [t.name for t in response.templates]
    page = _text(response)
    assert accepted.referral_ref in page
    assert social_worker.display_name in page
    assert "REF-OTHER-CHILD" not in page
    assert reverse("referrals:referral_create", args=[child.pk]) in page
    assert AccessLogEntry.objects.filter(child_id=child.pk).count() == 1


def test_referrals_tab_of_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).get(reverse("referrals:child_referrals", args=[child.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


# --- Recording a referral -----------------------------------------------------------------------
def test_record_form_shows(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).get(reverse("referrals:referral_create", args=[child.pk]))

    assert response.status_code == 200
    assert "referrals/referral_form.html" in [t.name for t in response.templates]
    assert "Record a CRE referral" in _text(response)


def test_record_form_errors_are_gov_uk_style_and_keep_the_input(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    data = _referral_post(received_on_0="", received_on_1="", received_on_2="")
    del data["exploitation_type"]

    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]), data
    )

    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error: Record a CRE referral" in page
    assert "Enter the date the referral was received" in page
    assert "Select the exploitation type" in page
    assert 'href="#id_received_on_0"' in page
    assert "Northside Academy" in page
    assert "Older boyfriend, gifts." in page
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (("31", "2", "2024"), "Date the referral was received must be a real date"),
        (("1", "", "2024"), "Date the referral was received must include a month"),
        (("x", "2", "2024"), "Date the referral was received must be a real date"),
        (("1", "2", "24"), "Date the referral was received must be a real date"),
    ],
)
def test_received_date_must_be_a_real_date(signed_in, social_worker, day, message):
    child = ChildFactory(team=social_worker.team)
    dates = dict(zip(("received_on_0", "received_on_1", "received_on_2"), day, strict=True))

    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]), _referral_post(**dates)
    )

    assert message in _text(response)


def test_received_date_cannot_be_in_the_future(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]),
        _referral_post(**_date("received_on", tomorrow)),
    )

    assert "Date the referral was received must be today or in the past" in _text(response)


def test_valid_form_shows_what_will_be_captured_before_recording(signed_in, social_worker):
    # given
    child = PlacedInChildFactory(team=social_worker.team)

    # when
    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]), _referral_post()
    )

    # then
    page = _text(response)
    assert "referrals/referral_confirm.html" in [t.name for t in response.templates]
    assert "Looked after" in page
    assert "V2 Single period of accommodation under section 20" in page
    assert "Southdale Borough Council" in page
    assert "2A School" in page
    assert 'name="received_on_0"' in page
    assert not Referral.objects.exists()


def test_change_returns_to_the_form_with_the_answers(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]),
        _referral_post(change="yes"),
    )

    assert "referrals/referral_form.html" in [t.name for t in response.templates]
    assert "Northside Academy" in _text(response)
    assert "There is a problem" not in _text(response)


def test_confirming_records_the_referral(signed_in, social_worker):
    # given
    child = ChildFactory(team=social_worker.team)
    client = signed_in(social_worker)

    # when
    response = client.post(
        reverse("referrals:referral_create", args=[child.pk]), _referral_post(confirm="yes")
    )

    # then
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    assert (referral.child, referral.exploitation_type, referral.created_by) == (
        child,
        "CSE",
        social_worker,
    )
    assert referral.referrer_contact == "01632 960000"
    assert CaseEvent.objects.get().summary == "CSE referral received from 2A School"
    detail = client.get(response["Location"])
    assert f"Referral {referral.referral_ref} recorded" in _text(detail)


def test_confirming_with_tampered_input_goes_back_to_the_form(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]),
        _referral_post(confirm="yes", source="99"),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in _text(response) or "Select where" in _text(response)
    assert not Referral.objects.exists()


def test_record_for_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).post(
        reverse("referrals:referral_create", args=[child.pk]), _referral_post(confirm="yes")
    )

    assert response.status_code == 404
    assert not Referral.objects.exists()


# --- Referral detail --------------------------------------------------------------------------
def test_detail_shows_the_referral_and_logs_the_read(signed_in, team_manager):
    # given
    child = PlacedInChildFactory(team=team_manager.team)
    referral = ReferralFactory(child=child, referrer_name="PC Hale")

    # when
    response = signed_in(team_manager).get(reverse("referrals:referral_detail", args=[referral.pk]))

    # then
    page = _text(response)
    assert response.status_code == 200
    assert "PC Hale" in page
    assert "Southdale Borough Council" in page
    assert reverse("referrals:referral_screen", args=[referral.pk]) in page
    assert reverse("referrals:referral_allocate", args=[referral.pk]) in page
    assert reverse("referrals:referral_close", args=[referral.pk]) not in page
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.child_id) == (
        "referrals.referral",
        str(referral.pk),
        child.pk,
    )


def test_detail_offers_social_worker_no_manager_actions(signed_in, social_worker):
    referral = ReferralFactory(child__team=social_worker.team)

    page = _text(
        signed_in(social_worker).get(reverse("referrals:referral_detail", args=[referral.pk]))
    )

    assert reverse("referrals:referral_edit", args=[referral.pk]) in page
    assert reverse("referrals:referral_screen", args=[referral.pk]) not in page


def test_detail_of_another_teams_referral_is_not_found(signed_in, social_worker, other_team):
    referral = ReferralFactory(child__team=other_team)

    response = signed_in(social_worker).get(
        reverse("referrals:referral_detail", args=[referral.pk])
    )

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_detail_of_restricted_child_asks_for_a_reason_first(signed_in, social_worker):
    referral = ReferralFactory(child__team=social_worker.team, child__is_restricted=True)
    url = reverse("referrals:referral_detail", args=[referral.pk])

    response = signed_in(social_worker).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("referrals:child_break_glass", args=[referral.child.pk])
    )
    assert not AccessLogEntry.objects.exists()


def test_closed_referral_shows_closure(signed_in, team_manager):
    referral = ClosedReferralFactory(child__team=team_manager.team, closure_note="Moved on well.")

    page = _text(
        signed_in(team_manager).get(reverse("referrals:referral_detail", args=[referral.pk]))
    )

    assert "Risk reduced" in page
    assert "Moved on well." in page
    assert reverse("referrals:referral_close", args=[referral.pk]) not in page


# --- Correcting details -------------------------------------------------------------------------
def _edit_post(referral, **overrides):
    data = _referral_post(
        **_date("received_on", referral.received_on),
        source=referral.source,
        exploitation_type=referral.exploitation_type,
        version=referral.version,
    )
    return data | overrides


def test_edit_form_starts_with_the_details(signed_in, social_worker):
    referral = ReferralFactory(child__team=social_worker.team, referrer_name="PC Hale")

    response = signed_in(social_worker).get(reverse("referrals:referral_edit", args=[referral.pk]))

    assert response.status_code == 200
    assert 'value="PC Hale"' in _text(response)
    assert 'name="version" value="1"' in _text(response)


def test_edit_saves_corrections(signed_in, social_worker):
    referral = ReferralFactory(child__team=social_worker.team)

    response = signed_in(social_worker).post(
        reverse("referrals:referral_edit", args=[referral.pk]),
        _edit_post(referral, source="6"),
    )

    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    referral.refresh_from_db()
    assert (referral.source, referral.version) == ("6", 2)


def test_edit_on_a_stale_copy_keeps_the_input_and_says_what_changed(signed_in, social_worker):
    # given: someone saved the referral after this user opened it at version 1
    referral = ReferralFactory(child__team=social_worker.team)
    client = signed_in(social_worker)
    client.post(
        reverse("referrals:referral_edit", args=[referral.pk]),
        _edit_post(referral, referrer_name="First editor"),
    )

    # when
    response = client.post(
        reverse("referrals:referral_edit", args=[referral.pk]),
        _edit_post(referral, referrer_name="Second editor", version=1),
    )

    # then
    page = _text(response)
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it (" in page
    assert "referrer name" in page
    assert 'value="Second editor"' in page
    referral.refresh_from_db()
    assert referral.referrer_name == "First editor"


def test_edit_of_a_screened_referral_goes_back_with_a_message(signed_in, social_worker):
    referral = AcceptedReferralFactory(child__team=social_worker.team)
    client = signed_in(social_worker)

    response = client.get(reverse("referrals:referral_edit", args=[referral.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "referrals:referral_detail", args=[referral.pk]
    )
    assert "cannot be changed once screened" in _text(response)
