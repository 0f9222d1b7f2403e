"""An approved High assessment's proposals show on the child's Offer tab; the social worker offers
one, records it accepted, then started, then ended with an outcome; every page passes axe."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from referrals.codes import RiskLevel
from risk_assessment.services.offer import offer_propose
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_offer import ApprovedAssessmentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUPPORT = "Intensive specialist CRE worker (2 to 3 times a week)"


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


def record_step(page: Page, button: str, legend: str, day: datetime.date, save: str) -> None:
    page.get_by_role("button", name=button).click()
    assert_no_axe_violations(page)
    fill_date(page, legend, day)
    page.get_by_role("button", name=save).click()


def test_social_worker_plans_and_tracks_the_cre_offer(
    page, live_server, console_messages, team, monkeypatch
):
    # given: today is 1 June 2026; a High assessment approved on 2 March proposed the default
    # catalogue's High-level support. The live server runs in this process: same date.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 6, 1))
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    manager = UserFactory(team=team, roles=[Role.TEAM_MANAGER])
    child = ChildFactory(team=team, allocated_worker=worker)
    assessment = ApprovedAssessmentFactory(child=child, computed_level=RiskLevel.HIGH)
    offer_propose(assessment=assessment, actor=manager)
    sign_in_browser(page, live_server, worker)

    # when: the worker opens the child's Offer tab
    page.goto(reverse("risk_assessment:child_offer", args=[child.pk]))

    # then: the proposals show under their categories
    expect(
        page.get_by_label("Child's record").get_by_role("link", name="Offer", exact=True)
    ).to_have_attribute("aria-current", "page")
    specialist = page.get_by_role("table", name="Specialist services")
    expect(specialist.get_by_role("link", name=SUPPORT, exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Disruption of persons and places")).to_be_visible()
    assert_no_axe_violations(page)

    # when: the worker offers the intensive worker, first forgetting the date
    specialist.get_by_role("link", name=f"Offer {SUPPORT}", exact=True).click()
    expect(page.get_by_label("Who will provide it?")).to_have_value(
        "Specialist exploitation service"
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save as offered").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date it was offered")
    assert_no_axe_violations(page)
    fill_date(page, "When was it offered?", datetime.date(2026, 3, 4))
    page.get_by_role("button", name="Save as offered").click()

    # then: the item shows it was offered, with the answers that can come next
    expect(page.get_by_text(f"{SUPPORT}: recorded as offered")).to_be_visible()
    expect(page.get_by_role("button", name="Record as declined")).to_be_visible()
    assert_no_axe_violations(page)

    # when: it is accepted, starts, and ends with an outcome
    record_step(
        page,
        "Record as accepted",
        "When was it accepted?",
        datetime.date(2026, 3, 6),
        "Save as accepted",
    )
    expect(page.get_by_text(f"{SUPPORT}: recorded as accepted")).to_be_visible()
    record_step(
        page,
        "Record as started",
        "When did it start?",
        datetime.date(2026, 3, 10),
        "Save as started",
    )
    expect(page.get_by_text(f"{SUPPORT}: recorded as started")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record as ended").click()
    fill_date(page, "When did it end?", datetime.date(2026, 5, 29))
    page.get_by_label("What was the outcome?").fill("No missing episodes since April.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save as ended").click()

    # then: the item shows its whole course and no further steps
    expect(page.get_by_text(f"{SUPPORT}: recorded as ended")).to_be_visible()
    summary = page.locator(".govuk-summary-list")
    for fragment in ("4 March 2026", "6 March 2026", "10 March 2026", "29 May 2026"):
        expect(summary).to_contain_text(fragment)
    expect(summary).to_contain_text("No missing episodes since April.")
    expect(page.get_by_role("button", name="Record as ended")).to_have_count(0)
    assert_no_axe_violations(page)

    # and the Offer tab lists it with the support that is over
    page.get_by_role("link", name="Back to the CRE Offer").click()
    closed = page.get_by_role("table", name="Ended, declined or not offered")
    expect(closed.get_by_role("link", name=SUPPORT, exact=True)).to_be_visible()
    expect(specialist.get_by_role("link", name=SUPPORT, exact=True)).to_have_count(0)
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
