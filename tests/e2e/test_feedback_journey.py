"""A social worker asks a parent for feedback after a CP conference; the parent, with no account,
answers on the link; a second visit is told the answers are in; the team manager sees them in
the summary. Every page passes axe."""

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


def worker_creates_a_link(page: Page, child, held_on: datetime.date) -> str:
    page.goto(reverse("risk_assessment:child_feedback", args=[child.pk]))
    expect(
        page.get_by_label("Child's record").get_by_role("link", name="Feedback", exact=True)
    ).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ask for feedback on a meeting").click()
    assert_no_axe_violations(page)
    page.get_by_label("Child protection conference").check()
    fill_date(page, "Date of the meeting", held_on)
    page.get_by_label("Parent").check()
    page.get_by_role("button", name="Create feedback link").click()
    expect(page.get_by_role("heading", name="Feedback link created")).to_be_visible()
    assert_no_axe_violations(page)
    return page.get_by_label("Feedback link").input_value()


def parent_answers(page: Page, link: str, child, held_on: datetime.date) -> None:
    page.goto(link)
    on = f"{held_on.day} {held_on:%B %Y}"
    expect(page.get_by_text(f"the child protection conference on {on}")).to_be_visible()
    body = page.locator("body").inner_text()
    assert child.first_name not in body
    assert child.last_name not in body
    assert child.child_ref not in body
    assert_no_axe_violations(page)
    # Sending without answering shows each question's error, which also passes axe.
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select how much you felt listened to"
    )
    assert_no_axe_violations(page)
    page.get_by_role("group", name="Did you feel listened to?").get_by_label("Mostly").check()
    understood = page.get_by_role("group", name="Did you understand what was talked about?")
    understood.get_by_label("Completely").check()
    page.get_by_role("group", name="Did the meeting help?").get_by_label("A little").check()
    page.get_by_label("Is there anything else you want to tell us?").fill(
        "Please send the letters sooner."
    )
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("We have your answers")).to_be_visible()
    assert_no_axe_violations(page)


def test_feedback_is_asked_for_answered_once_and_summed_up(
    page, browser, live_server, console_messages, team, settings
):
    # given: links point at this live server
    settings.SITE_URL = live_server.url
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    manager = UserFactory(team=team, roles=[Role.TEAM_MANAGER])
    child = ChildFactory(team=team, allocated_worker=worker, first_name="Zephaniah")
    held_on = timezone.localdate() - datetime.timedelta(days=3)
    sign_in_browser(page, live_server, worker)

    # when: the worker makes a link
    link = worker_creates_a_link(page, child, held_on)
    assert link.startswith(f"{live_server.url}/feedback/")

    # and the parent opens it in their own browser, with no account, and answers
    family = browser.new_context(base_url=live_server.url)
    family_page = family.new_page()
    family_page.on("console", lambda message: console_messages.append(message))
    parent_answers(family_page, link, child, held_on)

    # then: opening the link again says the answers are in, with no form
    family_page.goto(link)
    expect(
        family_page.get_by_role("heading", name="Thank you, we already have your answers")
    ).to_be_visible()
    expect(family_page.get_by_role("button", name="Send my answers")).to_have_count(0)
    assert_no_axe_violations(family_page)
    family.close()

    # and the team manager sees the answer in the summary
    page.context.clear_cookies()
    sign_in_browser(page, live_server, manager)
    page.goto(reverse("risk_assessment:feedback_summary"))
    expect(page.get_by_role("heading", name="Feedback on meetings", exact=True)).to_be_visible()
    rates = page.get_by_role("table", name="Links sent and answered")
    expect(
        rates.get_by_role("row", name="Child protection conference Parent 1 1 0 100%")
    ).to_be_visible()
    expect(page.get_by_text("Please send the letters sooner.")).to_be_visible()
    expect(page.get_by_role("link", name=child.child_ref)).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
