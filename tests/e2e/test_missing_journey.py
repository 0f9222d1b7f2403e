"""A missing-team officer records an episode and the return, watches the 72-hour clock, completes
the return home interview with an exploitation indicator and starts a CRE referral in one step;
a social worker keeps a Philomena profile and prints it. Every page passes axe."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from cre_portal.timescales import LONDON
from referrals.models import MissingEpisode, Referral
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import LookedAfterChildFactory

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


def fill_moment(page: Page, what: str, moment: datetime.datetime) -> None:
    """Fill the 'Date <what>' date input and the 'Time <what>' box, in London time."""
    local = moment.astimezone(LONDON)
    group = page.get_by_role("group", name=re.compile(f"Date {what}"))
    group.get_by_label("Day").fill(str(local.day))
    group.get_by_label("Month").fill(str(local.month))
    group.get_by_label("Year").fill(str(local.year))
    page.get_by_label(re.compile(f"Time {what}")).fill(local.strftime("%H:%M"))


def checked_page(page: Page, heading: str | None = None) -> None:
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text(heading) if heading else expect(h1).to_be_visible()
    assert_no_axe_violations(page)


def record_episode(page: Page, started: datetime.datetime) -> None:
    page.get_by_role("navigation", name="Child's record").get_by_role(
        "link", name="Missing"
    ).click()
    checked_page(page)
    page.get_by_role("button", name="Record a missing episode").click()
    checked_page(page, "Record a missing episode")
    # An empty form first: every problem is listed and the page title says so.
    page.get_by_role("button", name="Save the episode").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_no_axe_violations(page)
    page.get_by_label("Missing (whereabouts unknown)").check()
    fill_moment(page, "they went missing", started)
    page.get_by_label("High").check()
    page.get_by_role("button", name="Save the episode").click()
    expect(
        page.get_by_text(re.compile(r"Missing episode MISS-\d{8}-\d{4} recorded"))
    ).to_be_visible()
    checked_page(page)


def record_return(page: Page, returned: datetime.datetime) -> None:
    page.get_by_role("button", name="Record the return").click()
    checked_page(page, "Record the return")
    fill_moment(page, "they returned", returned)
    page.get_by_label("Where were they found? (optional)").fill("Picked up by police in Leeds")
    page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_text("the 72-hour interview clock has started")).to_be_visible()
    checked_page(page)


def complete_interview(page: Page, interviewed: datetime.datetime) -> None:
    page.get_by_role("button", name="Record the return home interview").click()
    checked_page(page, "Return home interview")
    page.get_by_label("Yes, they accepted").check()
    fill_moment(page, "of the interview", interviewed)
    page.get_by_label("Interviewer's name (optional)").fill("Sam Jones")
    page.get_by_label("Their agency (optional)").fill("Children's Society")
    page.get_by_label("Where did they go? (optional)").fill("A flat in Leeds")
    page.get_by_label("Older or unknown associates").check()
    page.get_by_role("button", name="Save the interview").click()
    expect(page.get_by_text("Return home interview saved")).to_be_visible()
    checked_page(page)


def test_missing_episode_to_cre_referral(page, live_server, console_messages, team):
    # given
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    child = LookedAfterChildFactory(team=team)
    now = timezone.now().replace(second=0, microsecond=0)
    sign_in_as(page, live_server.url, officer)
    page.goto(reverse("referrals:child_detail", args=[child.pk]))

    # when: the episode and the return are recorded
    record_episode(page, now - datetime.timedelta(hours=6))
    record_return(page, now - datetime.timedelta(hours=4))

    # then: the missing-team view shows the clock
    page.goto(reverse("referrals:missing_dashboard"))
    checked_page(page, "Missing and return home interviews")
    expect(page.get_by_text("Due in 2 days")).to_be_visible()
    page.get_by_role("link", name=re.compile(child.full_name)).click()
    checked_page(page)

    # when: the interview finds an indicator, and a referral is started from it
    complete_interview(page, now - datetime.timedelta(hours=1))
    expect(page.get_by_text("The interview found exploitation indicators")).to_be_visible()
    page.get_by_label("Criminal exploitation (CCE)").check()
    page.get_by_role("button", name="Start a CRE referral").click()

    # then
    referral = Referral.objects.get()
    expect(page.get_by_text(f"CRE referral {referral.referral_ref} started")).to_be_visible()
    expect(page.get_by_text("Older or unknown associates")).to_be_visible()
    checked_page(page)
    assert_no_csp_errors(console_messages)
    episode = MissingEpisode.objects.get()
    assert episode.rhi_due_at == now - datetime.timedelta(hours=4) + datetime.timedelta(hours=72)
    assert (referral.child, referral.source, referral.exploitation_type) == (child, "5A", "CCE")


def test_philomena_profile_kept_and_printed(page, live_server, console_messages, team):
    # given
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    child = LookedAfterChildFactory(team=team, allocated_worker=worker)
    sign_in_as(page, live_server.url, worker)
    page.goto(reverse("referrals:child_detail", args=[child.pk]))

    # when
    nav = page.get_by_role("navigation", name="Child's record")
    nav.get_by_role("link", name="Philomena profile").click()
    checked_page(page)
    page.get_by_role("button", name="Start the profile").click()
    checked_page(page, "Philomena profile")
    page.get_by_label("Physical description").fill("Slim, 5ft 4, dark curly hair")
    page.get_by_label("Medical needs").fill("Asthma: blue inhaler")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_text("Philomena profile saved")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Printable version for police").click()

    # then: a plain page with the profile and a print button
    checked_page(page, f"Philomena profile: {child.full_name}")
    expect(page.get_by_role("button", name="Print this profile")).to_be_visible()
    expect(page.get_by_text("Asthma: blue inhaler")).to_be_visible()
    assert_no_csp_errors(console_messages)
