"""A social worker signs in, sets up MFA and opens a child's record; every page passes axe."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOME_SCREENSHOT = "/tmp/home.png"  # noqa: S108 - a fixed path to look at by hand


def sign_in(page: Page, email: str, password: str) -> None:
    """Fill in and submit the sign-in page the browser is on."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def code_for_key_shown(page: Page) -> str:
    """What an authenticator app would show for the key printed on the set-up page."""
    key = page.locator(".app-secret-key").inner_text().replace(" ", "")
    padded = key + "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def test_social_worker_sets_up_mfa_and_opens_allocated_child(page, console_messages, team):
    # given
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    child = ChildFactory(team=team, allocated_worker=worker)
    page.goto(reverse("accounts:login"))
    assert_no_axe_violations(page)

    # when
    sign_in(page, worker.email, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:mfa_setup")) + r"(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert_no_axe_violations(page)
    page.get_by_label("Code from your authenticator app").fill(code_for_key_shown(page))
    page.get_by_role("button", name="Confirm and continue").click()

    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    assert_no_axe_violations(page)
    page.screenshot(path=HOME_SCREENSHOT, full_page=True)
    page.get_by_role("link", name=child.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)


def test_wrong_password_shows_error_summary_linking_to_a_field(page, console_messages, team):
    # given
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])

    page.goto(reverse("accounts:login"))

    # when
    sign_in(page, worker.email, "not the right password")

    # then
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator(link.get_attribute("href"))).to_be_focused()
