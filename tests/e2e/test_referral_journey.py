"""A social worker records a referral and a significant case note and sees both on the
chronology; a team manager screens the referral in and allocates it. Every page passes axe."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from referrals.models import Referral
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import PlacedInChildFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in_as(page: Page, base_url: str, user) -> None:
    """Give the browser a session past MFA (the sign-in journey itself is tested elsewhere)."""
    client = sign_in(Client(), user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Child's record").get_by_role("link", name=name).click()


def checked_page(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)


def record_referral(page: Page, child) -> None:
    open_tab(page, "Referrals")
    checked_page(page)
    page.get_by_role("link", name="Record a referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a CRE referral")
    # An empty form first: the error summary links to the fields.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_no_axe_violations(page)
    fill_date(page, "When was the referral received?", timezone.localdate())
    page.get_by_label("Where did the referral come from?").select_option("2A")
    page.get_by_label("Their organisation (optional)").fill("Northside Academy")
    page.get_by_label("Criminal exploitation (CCE)").check()
    page.get_by_label("What are the concerns? (optional)").fill("New phone, older friends.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the referral before recording it"
    )
    expect(page.get_by_text("Southdale Borough Council")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_text(re.compile(r"Referral REF-\d{8}-\d{4} recorded"))).to_be_visible()
    checked_page(page)


def add_significant_note(page: Page) -> None:
    open_tab(page, "Chronology")
    checked_page(page)
    page.get_by_role("link", name="Add a case note").click()
    checked_page(page)
    fill_date(page, "When did it happen?", timezone.localdate())
    page.get_by_label("Time").fill("00:01")
    page.get_by_label("Title").fill("Police intelligence")
    page.get_by_label("Note", exact=True).fill("Seen getting into a car with two adults.")
    page.get_by_label("This is a significant event").check()
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Case note added")).to_be_visible()


def test_referral_from_recording_to_allocation(page, live_server, console_messages, team):
    # given
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    manager = UserFactory(team=team, roles=[Role.TEAM_MANAGER])
    child = PlacedInChildFactory(team=team, allocated_worker=worker)

    # when: the social worker records the referral and a significant note
    sign_in_as(page, live_server.url, worker)
    page.goto(reverse("referrals:child_detail", args=[child.pk]))
    record_referral(page, child)
    add_significant_note(page)

    # then: both are on the chronology, the note with its text, marked significant
    timeline = page.get_by_role("list").filter(has_text="Police intelligence")
    expect(timeline.get_by_text("CCE referral received from 2A School")).to_be_visible()
    expect(timeline.get_by_text("Seen getting into a car with two adults.")).to_be_visible()
    expect(timeline.get_by_text("Significant", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Significant events only").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("CCE referral received from 2A School")).to_have_count(0)
    assert_no_axe_violations(page)

    # when: the team manager screens it in and allocates it
    sign_in_as(page, live_server.url, manager)
    page.goto(reverse("referrals:referral_list"))
    checked_page(page)
    referral = Referral.objects.get()
    page.get_by_role("link", name=referral.referral_ref).click()
    checked_page(page)
    page.get_by_role("link", name="Screen referral").click()
    checked_page(page)
    page.get_by_label("Screen in: accept for CRE support").check()
    page.get_by_label("Reasons for the decision").fill("Several CCE indicators present.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"Referral {referral.referral_ref} screened in")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Allocate a worker").click()
    checked_page(page)
    page.get_by_label("Who should work with this child?").select_option(str(worker.pk))
    page.get_by_role("button", name="Allocate").click()

    # then
    expect(page.get_by_text(f"Referral allocated to {worker.display_name}")).to_be_visible()
    assert_no_axe_violations(page)
    open_tab(page, "Referrals")
    expect(page.get_by_role("cell", name=worker.display_name)).to_be_visible()
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
    referral.refresh_from_db()
    assert (referral.status, referral.allocated_worker) == ("ACCEPTED", worker)
