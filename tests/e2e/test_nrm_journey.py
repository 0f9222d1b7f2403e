"""A social worker starts an NRM referral, records the referral and the reasonable grounds
decision, and sees the due date and then the recovery period; every page passes axe."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in_browser(page: Page, live_server, user) -> None:
    """Hand the browser a session that has passed MFA (the sign-in journey tests the real flow)."""
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_social_worker_records_an_nrm_referral_and_its_decision(
    page, live_server, console_messages, team, monkeypatch
):
    # given: today is Wednesday 1 April 2026, just before the Easter weekend. The live server
    # runs in this process, so it sees the same date.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 4, 1))
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    child = ChildFactory(team=team, allocated_worker=worker)
    sign_in_browser(page, live_server, worker)

    # when: the worker opens the child's NRM tab and starts a referral
    page.goto(reverse("referrals:child_nrm", args=[child.pk]))
    expect(
        page.get_by_label("Child's record").get_by_role("link", name="NRM", exact=True)
    ).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Start an NRM referral").click()
    expect(page.get_by_text("Children do not need to consent")).to_be_visible()
    assert_no_axe_violations(page)
    fill_date(page, "When was a referral to the NRM first considered?", datetime.date(2026, 3, 23))
    page.get_by_role("button", name="Start NRM referral").click()
    expect(page.get_by_text("NRM referral started")).to_be_visible()
    assert_no_axe_violations(page)

    # and records the referral, first forgetting the organisation
    page.get_by_role("link", name="Record the referral to the NRM").click()
    assert_no_axe_violations(page)
    fill_date(page, "Date of referral", datetime.date(2026, 3, 27))
    page.get_by_role("button", name="Save referral").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the first responder organisation")
    assert_no_axe_violations(page)
    page.get_by_label("First responder organisation").fill("Northshire Police")
    page.get_by_role("button", name="Save referral").click()

    # then: the reasonable grounds decision is due 5 working days after Friday 27 March,
    # Good Friday and Easter Monday not counted: Tuesday 7 April, 2 working days from today.
    expect(page.get_by_text("Referral recorded")).to_be_visible()
    expect(page.get_by_text("Due 7 April 2026 (in 2 working days)")).to_be_visible()
    assert_no_axe_violations(page)

    # when: a positive reasonable grounds decision arrives
    page.get_by_role("link", name="Reasonable grounds decision").click()
    assert_no_axe_violations(page)
    page.get_by_label("Positive").check()
    fill_date(page, "Date of the reasonable grounds decision", datetime.date(2026, 4, 1))
    page.get_by_role("button", name="Save decision").click()

    # then: the recovery period of at least 30 days shows with its end
    expect(page.get_by_text("Reasonable grounds decision recorded")).to_be_visible()
    expect(page.get_by_text("From 1 April 2026 to at least 1 May 2026")).to_be_visible()
    assert_no_axe_violations(page)

    # and the referral is on the list of those awaiting a decision
    page.goto(reverse("referrals:nrm_list"))
    expect(page.get_by_role("link", name=child.full_name)).to_be_visible()
    expect(page.get_by_text("recovery period to 1 May 2026")).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
