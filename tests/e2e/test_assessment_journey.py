"""A social worker completes a CRE risk assessment from a referral on the default template, sees
the computed level, lowers it with a reason and submits it; a team manager, warned about the
lowering, agrees and approves it; the child's Assessments tab shows the level and the chart.
Every page passes axe and the console shows no CSP error."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from referrals.codes import ExploitationType
from risk_assessment.models import Assessment
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import AcceptedReferralFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Present in the default template (version 1): 2 + 3 + 3 = 8, Medium (6 to 14).
PRESENT = {
    "Has gone missing from home or care": "Reported missing twice in February.",
    "Found out of area or staying out overnight with no explanation": "Found in Southport.",
    "Spends time with older young people or adults the family does not know": "Older males.",
}
SECTIONS = [
    "Missing and running away",
    "Associates and relationships",
    "Money, gifts and debts",
    "Places and travel",
    "Education",
    "Health",
    "Behaviour and offending",
    "Online",
    "Vulnerabilities",
]


def sign_in_as(page: Page, base_url: str, user) -> None:
    """Give the browser a session past MFA (the sign-in journey itself is tested elsewhere)."""
    client = sign_in(Client(), user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def checked_page(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)


def answer_section(page: Page, title: str) -> None:
    """Answer every indicator on the page: not present, except those in PRESENT."""
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_no_axe_violations(page)
    for group in page.get_by_role("group").all():
        legend = group.locator("legend").inner_text().strip()
        if legend in PRESENT:
            group.get_by_label("Present", exact=True).check()
            group.get_by_label("Evidence").fill(PRESENT[legend])
            group.get_by_label("Source").fill("Police missing report")
        else:
            group.get_by_label("Not present").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(f"Your answers in {title} have been saved")).to_be_visible()


def complete_and_submit(page: Page, child) -> str:
    page.goto(reverse("risk_assessment:child_assessments", args=[child.pk]))
    checked_page(page)
    page.get_by_role("button", name="Start a risk assessment").click()
    checked_page(page)
    page.get_by_label(re.compile(r"Referral REF-")).check()
    page.get_by_role("button", name="Start the assessment").click()
    started = page.get_by_text(re.compile(r"Risk assessment RA-\d{8}-\d{4} started"))
    expect(started).to_be_visible()
    checked_page(page)
    ref = re.search(r"RA-\d{8}-\d{4}", started.inner_text())[0]

    # Nine sections of indicators, one page each.
    page.get_by_role("link", name=SECTIONS[0]).click()
    for title in SECTIONS:
        answer_section(page, title)

    # The views: the type comes from the referral.
    expect(page.get_by_role("heading", level=1)).to_have_text("Views and type of exploitation")
    expect(page.get_by_label("Criminal exploitation (CCE)")).to_be_checked()
    assert_no_axe_violations(page)
    page.get_by_label("The child's own view").fill("I don't think I'm in danger.")
    page.get_by_role("button", name="Save and continue").click()

    # The judgement: computed Medium (score 8); lowered to Low, first without a reason.
    expect(page.get_by_role("heading", level=1)).to_have_text("Professional judgement")
    expect(page.get_by_text("The answers give Medium")).to_be_visible()
    checked_page(page)
    page.get_by_label("Low").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the level should be different from the computed level"
    )
    assert_no_axe_violations(page)
    page.get_by_label("Why is your judgement different").fill(
        "The missing episodes were to his grandmother's; police have no exploitation concerns."
    )
    page.get_by_role("button", name="Save and continue").click()

    # Back on the task list: everything complete, the computed and judged levels shown.
    expect(page.get_by_text("Score so far: 8")).to_be_visible()
    checked_page(page)
    page.get_by_role("button", name="Check and submit").click()
    checked_page(page)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{ref} submitted for approval"
    )
    assert_no_axe_violations(page)
    return ref


def approve(page: Page, ref: str) -> None:
    assessment = Assessment.objects.get(assessment_ref=ref)
    page.goto(reverse("risk_assessment:assessment_detail", args=[assessment.pk]))
    checked_page(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "The level has been lowered by professional judgement, from Medium"
    )
    checked_page(page)
    page.get_by_role("button", name="Approve the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that you agree the level should be lowered"
    )
    assert_no_axe_violations(page)
    page.get_by_label("I agree the level should be lowered").check()
    page.get_by_role("button", name="Approve the assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{ref} approved")
    checked_page(page)


def test_an_assessment_is_completed_lowered_and_approved(page, live_server, console_messages, team):
    # given
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    manager = UserFactory(team=team, roles=[Role.TEAM_MANAGER])
    child = ChildFactory(team=team, allocated_worker=worker)
    AcceptedReferralFactory(child=child, exploitation_type=ExploitationType.CCE)

    # when: the worker completes and submits it
    sign_in_as(page, live_server.url, worker)
    ref = complete_and_submit(page, child)

    # and the manager approves it
    sign_in_as(page, live_server.url, manager)
    approve(page, ref)

    # then: the child's Assessments tab shows the level, the chart and its table
    page.get_by_role("navigation", name="Child's record").get_by_role(
        "link", name="Assessments"
    ).click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Current risk level Low")
    chart = page.get_by_role("img", name=re.compile("Line chart of the risk level"))
    expect(chart).to_be_visible()
    # The image has loaded and decoded: the SVG passed the Content Security Policy.
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=chart.element_handle()
    )
    table = page.get_by_role("table", name="Approved assessments and their levels")
    expect(table).to_contain_text("Low")
    expect(table).to_contain_text(ref)
    checked_page(page)
    assert_no_csp_errors(console_messages)


def test_an_administrator_drafts_and_publishes_a_new_template_version(
    page, live_server, console_messages
):
    # given
    administrator = UserFactory(team=None, roles=[Role.ADMINISTRATOR], is_staff=True)
    sign_in_as(page, live_server.url, administrator)

    # when: a new version is copied from version 1
    page.goto(reverse("risk_assessment:template_list"))
    checked_page(page)
    page.get_by_role("button", name="Create a new version from version 1").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Version 2 created as a draft"
    )
    checked_page(page)

    # and an indicator is reworded and weighted more heavily, first with a bad weight
    page.get_by_role("link", name="Change Has money they cannot account for").click()
    checked_page(page)
    page.get_by_label("Indicator", exact=True).fill("Has cash or cards they cannot account for")
    page.get_by_label("Weight").fill("11")
    page.get_by_role("button", name="Save indicator").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The weight must be a whole number from 1 to 10"
    )
    assert_no_axe_violations(page)
    page.get_by_label("Weight").fill("3")
    page.get_by_role("button", name="Save indicator").click()
    expect(page.get_by_role("cell", name=re.compile("^Has cash or cards"))).to_be_visible()

    # and the thresholds are changed
    page.get_by_role("link", name="Change name and thresholds").click()
    checked_page(page)
    page.get_by_label("Medium threshold").fill("7")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("7 or more")).to_be_visible()

    # then: publishing makes it the current version
    page.get_by_role("button", name="Publish version 2").click()
    checked_page(page)
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2 published")
    page.goto(reverse("risk_assessment:template_list"))
    expect(page.get_by_role("row", name=re.compile("Version 2"))).to_contain_text("Current")
    checked_page(page)
    assert_no_csp_errors(console_messages)
