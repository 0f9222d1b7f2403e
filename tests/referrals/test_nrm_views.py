import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry, CaseEvent
from referrals.models import Decision, NrmReferral
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_nrm import (
    ConcludedNrmReferralFactory,
    NrmReferralFactory,
    RecoveryNrmReferralFactory,
    ReferredNrmReferralFactory,
    WithdrawnNrmReferralFactory,
)

pytestmark = pytest.mark.django_db

Status = NrmReferral.Status
STEP_URLS = [
    "referrals:nrm_refer",
    "referrals:nrm_reasonable_grounds",
    "referrals:nrm_conclusive_grounds",
    "referrals:nrm_reconsideration",
    "referrals:nrm_withdraw",
]


@pytest.fixture
def pin_today(monkeypatch):
    def pin(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return pin


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


def date_data(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def text(response):
    return " ".join(response.content.decode().split())


# --- The child's NRM tab ------------------------------------------------------------------------
def test_child_nrm_tab_lists_referrals_with_due_dates_and_logs_the_read(
    signed_in, social_worker, child, pin_today
):
    # given: referred Thu 26 Nov 2026, due Thu 3 Dec 2026; today Tue 1 Dec
    pin_today(datetime.date(2026, 12, 1))
    ReferredNrmReferralFactory(
        child=child,
        considered_on=datetime.date(2026, 11, 26),
        referred_on=datetime.date(2026, 11, 26),
    )

    # when
    response = signed_in(social_worker).get(reverse("referrals:child_nrm", args=[child.pk]))

    # then
    assert response.status_code == 200
    assert "referrals/child_nrm.html" in [t.name for t in response.templates]
    assert "Reasonable grounds decision due 3 December 2026 (in 2 working days)" in text(response)
    assert "26 November 2026 by Northshire Police" in text(response)
    assert "Start an NRM referral" in text(response)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id, entry.object_type) == (
        social_worker,
        child.pk,
        "referrals.child",
    )


def test_child_nrm_tab_shows_an_overdue_referral(signed_in, social_worker, child, pin_today):
    pin_today(datetime.date(2026, 12, 4))
    ReferredNrmReferralFactory(
        child=child,
        considered_on=datetime.date(2026, 11, 26),
        referred_on=datetime.date(2026, 11, 26),
    )

    response = signed_in(social_worker).get(reverse("referrals:child_nrm", args=[child.pk]))

    assert "Overdue" in text(response)
    assert "(overdue by 1 working day)" in text(response)


def test_child_nrm_tab_has_no_start_button_without_the_capability(signed_in, team, child):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])

    response = signed_in(officer).get(reverse("referrals:child_nrm", args=[child.pk]))

    assert response.status_code == 200
    assert "Start an NRM referral" not in text(response)


def test_child_nrm_tab_of_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).get(reverse("referrals:child_nrm", args=[child.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_child_nrm_tab_query_count_does_not_grow(
    signed_in, social_worker, child, django_assert_max_num_queries
):
    ReferredNrmReferralFactory.create_batch(30, child=child)
    client = signed_in(social_worker)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("referrals:child_nrm", args=[child.pk]))

    assert len(response.context["page_obj"].object_list) == 25


# --- Starting -----------------------------------------------------------------------------------
def test_start_page_says_children_need_not_consent(signed_in, social_worker, child):
    response = signed_in(social_worker).get(reverse("referrals:nrm_create", args=[child.pk]))

    assert response.status_code == 200
    assert "referrals/nrm_create.html" in [t.name for t in response.templates]
    assert "Children do not need to consent to a referral to the NRM." in text(response)


def test_start_creates_the_referral_and_goes_to_it(signed_in, social_worker, child):
    data = {**date_data("considered_on", datetime.date(2026, 3, 23)), "notes": "Seen at hotel"}

    response = signed_in(social_worker).post(
        reverse("referrals:nrm_create", args=[child.pk]), data, follow=True
    )

    nrm = NrmReferral.objects.get()
    assert response.redirect_chain[0][0] == reverse("referrals:nrm_detail", args=[nrm.pk])
    assert (nrm.child, nrm.considered_on, nrm.notes) == (
        child,
        datetime.date(2026, 3, 23),
        "Seen at hotel",
    )
    assert "NRM referral started" in text(response)


def test_start_with_errors_keeps_the_input(signed_in, social_worker, child):
    data = {
        "considered_on_0": "31",
        "considered_on_1": "2",
        "considered_on_2": "2026",
        "notes": "My notes",
    }

    response = signed_in(social_worker).post(reverse("referrals:nrm_create", args=[child.pk]), data)

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "The date the NRM referral was considered must be a real date" in page
    assert 'href="#id_considered_on_0"' in page
    assert "My notes" in page
    assert 'value="31"' in page
    assert response.content.decode().count("<title>Error: ") == 1
    assert not NrmReferral.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date the NRM referral was considered"),
        (
            {"considered_on_0": "1", "considered_on_2": "2026"},
            "The date the NRM referral was considered must include a month",
        ),
        (
            {"considered_on_0": "1", "considered_on_1": "3", "considered_on_2": "26"},
            "Year must include 4 numbers",
        ),
    ],
)
def test_start_date_errors_are_gov_uk_style(signed_in, social_worker, child, data, message):
    response = signed_in(social_worker).post(reverse("referrals:nrm_create", args=[child.pk]), data)

    assert message in text(response)


def test_start_in_the_future_shows_the_services_error_at_the_field(
    signed_in, social_worker, child, pin_today
):
    pin_today(datetime.date(2026, 3, 23))
    data = date_data("considered_on", datetime.date(2026, 3, 24))

    response = signed_in(social_worker).post(reverse("referrals:nrm_create", args=[child.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["considered_on"] == [
        "The date the NRM referral was considered must be today or in the past"
    ]


def test_missing_officer_may_not_start_an_nrm_referral(signed_in, team, child):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])

    response = signed_in(officer).get(reverse("referrals:nrm_create", args=[child.pk]))

    assert response.status_code == 403


def test_start_for_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)
    data = date_data("considered_on", datetime.date(2026, 3, 23))

    response = signed_in(social_worker).post(reverse("referrals:nrm_create", args=[child.pk]), data)

    assert response.status_code == 404
    assert not NrmReferral.objects.exists()


# --- The referral -------------------------------------------------------------------------------
def test_detail_shows_the_steps_with_dates_and_logs_the_read(
    signed_in, social_worker, child, pin_today
):
    pin_today(datetime.date(2026, 4, 1))
    nrm = ReferredNrmReferralFactory(child=child)

    response = signed_in(social_worker).get(reverse("referrals:nrm_detail", args=[nrm.pk]))

    assert response.status_code == 200
    assert "referrals/nrm_detail.html" in [t.name for t in response.templates]
    page = text(response)
    assert "27 March 2026 by Northshire Police" in page
    # Wed 1 Apr to Tue 7 Apr: Thu 2 (1), Good Friday and Easter Monday skipped, Tue 7 (2).
    assert "Due 7 April 2026 (in 2 working days)" in page
    assert reverse("referrals:nrm_reasonable_grounds", args=[nrm.pk]) in page
    assert reverse("referrals:nrm_withdraw", args=[nrm.pk]) in page
    assert reverse("referrals:nrm_conclusive_grounds", args=[nrm.pk]) not in page
    entry = AccessLogEntry.objects.get()
    assert (entry.child_id, entry.object_type, entry.object_id) == (
        child.pk,
        "referrals.nrmreferral",
        str(nrm.pk),
    )


def test_detail_shows_the_recovery_period_after_a_positive_decision(
    signed_in, social_worker, child
):
    nrm = RecoveryNrmReferralFactory(child=child)

    response = signed_in(social_worker).get(reverse("referrals:nrm_detail", args=[nrm.pk]))

    assert "From 2 April 2026 to at least 2 May 2026" in text(response)
    assert "Positive, 2 April 2026" in text(response)


def test_detail_offers_no_steps_to_someone_who_may_not_record_them(signed_in, team, child):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    nrm = ReferredNrmReferralFactory(child=child)

    response = signed_in(officer).get(reverse("referrals:nrm_detail", args=[nrm.pk]))

    assert response.status_code == 200
    for name in STEP_URLS:
        assert reverse(name, args=[nrm.pk]) not in text(response)


def test_detail_of_a_withdrawn_referral(signed_in, social_worker, child):
    nrm = WithdrawnNrmReferralFactory(child=child)

    response = signed_in(social_worker).get(reverse("referrals:nrm_detail", args=[nrm.pk]))

    assert "This NRM referral was withdrawn on 30 March 2026." in text(response)
    assert reverse("referrals:nrm_withdraw", args=[nrm.pk]) not in text(response)


def test_detail_about_another_teams_child_is_not_found(signed_in, social_worker, other_team):
    nrm = ReferredNrmReferralFactory(child=ChildFactory(team=other_team))

    response = signed_in(social_worker).get(reverse("referrals:nrm_detail", args=[nrm.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("name", ["referrals:nrm_detail", *STEP_URLS])
def test_a_restricted_childs_referral_asks_to_break_glass_first(signed_in, social_worker, name):
    child = ChildFactory(team=social_worker.team, is_restricted=True)
    nrm = ReferredNrmReferralFactory(child=child)

    response = signed_in(social_worker).get(reverse(name, args=[nrm.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("referrals:child_break_glass", args=[child.pk]))
    assert not AccessLogEntry.objects.exists()


# --- The steps ----------------------------------------------------------------------------------
def test_refer_page_shows_the_form_with_the_version(signed_in, social_worker, child):
    nrm = NrmReferralFactory(child=child)

    response = signed_in(social_worker).get(reverse("referrals:nrm_refer", args=[nrm.pk]))

    assert response.status_code == 200
    assert "referrals/nrm_step.html" in [t.name for t in response.templates]
    assert response.context["form"]["version"].value() == 1
    assert "Children do not need to consent to a referral to the NRM." in text(response)


def test_refer_records_the_referral_and_shows_the_due_date(
    signed_in, social_worker, child, pin_today
):
    pin_today(datetime.date(2026, 3, 30))
    nrm = NrmReferralFactory(child=child)
    data = {
        **date_data("referred_on", datetime.date(2026, 3, 27)),
        "first_responder_organisation": "Northshire Police",
        "version": "1",
    }

    response = signed_in(social_worker).post(
        reverse("referrals:nrm_refer", args=[nrm.pk]), data, follow=True
    )

    assert response.redirect_chain[0][0] == reverse("referrals:nrm_detail", args=[nrm.pk])
    page = text(response)
    assert "Referral recorded" in page
    # Mon 30 Mar to Tue 7 Apr: Tue 31 (1), Wed 1 (2), Thu 2 (3), Easter skipped, Tue 7 (4).
    assert "Due 7 April 2026 (in 4 working days)" in page
    assert NrmReferral.objects.get().status == Status.REFERRED


def test_refer_with_errors_keeps_the_input(signed_in, social_worker, child):
    nrm = NrmReferralFactory(child=child)
    data = {**date_data("referred_on", datetime.date(2026, 3, 27)), "version": "1"}

    response = signed_in(social_worker).post(reverse("referrals:nrm_refer", args=[nrm.pk]), data)

    assert response.status_code == 200
    assert "Enter the first responder organisation" in text(response)
    assert 'value="27"' in response.content.decode()
    assert NrmReferral.objects.get().status == Status.CONSIDERED


def test_refer_after_someone_else_moved_it_on_keeps_the_input_and_says_so(
    signed_in, social_worker, child
):
    # given: the referral was recorded (version 2) after this user loaded the form at version 1
    nrm = ReferredNrmReferralFactory(child=child, version=2)
    data = {
        **date_data("referred_on", datetime.date(2026, 3, 26)),
        "first_responder_organisation": "Northshire Council",
        "version": "1",
    }

    # when
    response = signed_in(social_worker).post(reverse("referrals:nrm_refer", args=[nrm.pk]), data)

    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert any("Someone else changed this record" in e for e in form.non_field_errors())
    assert "Northshire Council" in text(response)
    assert 'value="26"' in response.content.decode()
    # The form now carries the current version, so saving again meets the step's own checks.
    assert 'name="version" value="2"' in response.content.decode()
    nrm.refresh_from_db()
    assert nrm.first_responder_organisation == "Northshire Police"


def test_a_step_that_is_not_open_sends_you_back_to_the_referral(signed_in, social_worker, child):
    nrm = ConcludedNrmReferralFactory(child=child)

    response = signed_in(social_worker).get(
        reverse("referrals:nrm_withdraw", args=[nrm.pk]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse("referrals:nrm_detail", args=[nrm.pk])
    assert "That step is not open for this NRM referral now." in text(response)


def test_a_step_that_closed_meanwhile_shows_why_on_the_form(signed_in, social_worker, child):
    nrm = ConcludedNrmReferralFactory(child=child)
    data = {**date_data("withdrawn_on", datetime.date(2026, 6, 2)), "version": "1"}

    response = signed_in(social_worker).post(reverse("referrals:nrm_withdraw", args=[nrm.pk]), data)

    assert response.status_code == 200
    assert "You can only withdraw an NRM referral before a conclusive grounds decision" in text(
        response
    )


def test_positive_reasonable_grounds_shows_the_recovery_period_end(signed_in, social_worker, child):
    nrm = ReferredNrmReferralFactory(child=child)
    data = {
        "decision": Decision.POSITIVE,
        **date_data("decided_on", datetime.date(2026, 4, 2)),
        "version": "1",
    }

    response = signed_in(social_worker).post(
        reverse("referrals:nrm_reasonable_grounds", args=[nrm.pk]), data, follow=True
    )

    assert "Reasonable grounds decision recorded" in text(response)
    assert "to at least 2 May 2026" in text(response)
    assert CaseEvent.objects.get(verb="nrm_reasonable_grounds").is_significant


def test_reasonable_grounds_without_a_decision_says_which(signed_in, social_worker, child):
    nrm = ReferredNrmReferralFactory(child=child)
    data = {**date_data("decided_on", datetime.date(2026, 4, 2)), "version": "1"}

    response = signed_in(social_worker).post(
        reverse("referrals:nrm_reasonable_grounds", args=[nrm.pk]), data
    )

    assert "Select whether the reasonable grounds decision was positive or negative" in text(
        response
    )
    assert 'href="#id_decision_1"' in response.content.decode()


def test_reasonable_grounds_dated_before_the_referral_errs_at_the_date(
    signed_in, social_worker, child
):
    nrm = ReferredNrmReferralFactory(child=child)
    data = {
        "decision": Decision.NEGATIVE,
        **date_data("decided_on", datetime.date(2026, 3, 20)),
        "version": "1",
    }

    response = signed_in(social_worker).post(
        reverse("referrals:nrm_reasonable_grounds", args=[nrm.pk]), data
    )

    assert response.context["form"].errors["decided_on"] == [
        "The date of the reasonable grounds decision must be the same as or after the date of "
        "referral (27 March 2026)"
    ]
    assert 'href="#id_decided_on_0"' in response.content.decode()


def test_conclusive_grounds_reconsideration_and_withdrawal_pages(signed_in, social_worker, child):
    client = signed_in(social_worker)
    recovery = RecoveryNrmReferralFactory(child=child)
    referred = ReferredNrmReferralFactory(child=child)

    conclusive = client.post(
        reverse("referrals:nrm_conclusive_grounds", args=[recovery.pk]),
        {
            "decision": Decision.NEGATIVE,
            **date_data("decided_on", datetime.date(2026, 6, 1)),
            "version": "1",
        },
    )
    reconsider = client.post(
        reverse("referrals:nrm_reconsideration", args=[recovery.pk]),
        {**date_data("requested_on", datetime.date(2026, 6, 8)), "version": "2"},
    )
    withdraw = client.post(
        reverse("referrals:nrm_withdraw", args=[referred.pk]),
        {**date_data("withdrawn_on", datetime.date(2026, 3, 30)), "version": "1"},
    )

    assert [r.status_code for r in (conclusive, reconsider, withdraw)] == [302, 302, 302]
    recovery.refresh_from_db()
    referred.refresh_from_db()
    assert recovery.status == Status.RECONSIDERATION
    assert referred.status == Status.WITHDRAWN


@pytest.mark.parametrize("name", STEP_URLS)
def test_steps_are_forbidden_to_the_missing_officer(signed_in, team, child, name):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    nrm = ReferredNrmReferralFactory(child=child)

    response = signed_in(officer).post(reverse(name, args=[nrm.pk]), {"version": "1"})

    assert response.status_code == 403


@pytest.mark.parametrize("name", STEP_URLS)
def test_steps_about_another_teams_child_are_not_found(signed_in, social_worker, other_team, name):
    nrm = ReferredNrmReferralFactory(child=ChildFactory(team=other_team))

    response = signed_in(social_worker).get(reverse(name, args=[nrm.pk]))

    assert response.status_code == 404


# --- The list of referrals awaiting decisions ---------------------------------------------------
def test_list_puts_overdue_reasonable_grounds_first_and_leaves_out_closed_ones(
    signed_in, social_worker, child, other_team, pin_today
):
    # given
    pin_today(datetime.date(2026, 12, 10))
    recovery = RecoveryNrmReferralFactory(child=child)
    later = ReferredNrmReferralFactory(child=child, referred_on=datetime.date(2026, 12, 9))
    overdue = ReferredNrmReferralFactory(child=child, referred_on=datetime.date(2026, 11, 26))
    ConcludedNrmReferralFactory(child=child)
    WithdrawnNrmReferralFactory(child=child)
    NrmReferralFactory(child=child)
    ReferredNrmReferralFactory(child=ChildFactory(team=other_team))

    # when
    response = signed_in(social_worker).get(reverse("referrals:nrm_list"))

    # then
    assert response.status_code == 200
    assert "referrals/nrm_list.html" in [t.name for t in response.templates]
    assert [nrm for nrm, _ in response.context["rows"]] == [overdue, later, recovery]
    page = text(response)
    # Due Thu 3 Dec; Fri 4, Mon 7, Tue 8, Wed 9, Thu 10 have gone by.
    assert "due 3 December 2026 (overdue by 5 working days)" in page
    # Referred Wed 9 Dec: Thu 10, Fri 11, Mon 14, Tue 15, Wed 16 (due); from Thu 10: 4 to go.
    assert "due 16 December 2026 (in 4 working days)" in page


def test_list_is_paginated_and_query_count_does_not_grow(
    signed_in, social_worker, django_assert_max_num_queries
):
    for _ in range(30):
        ReferredNrmReferralFactory(child=ChildFactory(team=social_worker.team))
    client = signed_in(social_worker)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:nrm_list"))

    assert len(response.context["page_obj"].object_list) == 25
    assert 'aria-label="Page 2"' in response.content.decode()


def test_list_for_a_user_without_a_role_is_empty(signed_in, child):
    ReferredNrmReferralFactory(child=child)

    response = signed_in(UserFactory()).get(reverse("referrals:nrm_list"))

    assert response.status_code == 200
    assert "No NRM referrals are awaiting a decision." in text(response)
