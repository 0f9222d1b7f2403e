"""A service manager reads the Corporate Parenting report on screen, with exact figures, and
changes the period; a director reads the public version. Every page passes axe, every chart
loads as an image under the CSP, and the page reads without JavaScript."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from referrals.codes import ExploitationType
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory
from tests.referrals.factories_referrals import ReferralFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = "/tmp/report-screen-{}.png"  # noqa: S108 - fixed paths to look at by hand


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


def some_referrals() -> None:
    """Seven children referred from April to September 2025, three of them looked after."""
    for number in range(7):
        child = (LookedAfterChildFactory if number < 3 else ChildFactory)()
        kind = ExploitationType.CSE if number % 2 else ExploitationType.CCE
        ReferralFactory(
            child=child,
            received_on=datetime.date(2025, 5, 1 + number),
            exploitation_type=kind,
        )
    ReferralFactory(received_on=datetime.date(2025, 1, 10))


def assert_charts_loaded(page: Page) -> None:
    charts = page.locator("img.app-chart")
    expect(charts.first).to_be_visible()
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    widths = charts.evaluate_all("images => images.map(image => image.naturalWidth)")
    assert widths, "no charts on the page"
    assert all(width > 0 for width in widths), f"a chart did not load: {widths}"


@pytest.fixture
def october_2025(monkeypatch):
    # The live server runs in this process, so it sees the same date: the last complete
    # half-year is then April to September 2025.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2025, 10, 14))


def test_service_manager_reads_exact_figures_and_changes_the_period(
    page, live_server, console_messages, team, october_2025
):
    # given
    some_referrals()
    manager = UserFactory(team=team, roles=[Role.SERVICE_MANAGER])
    sign_in_browser(page, live_server, manager)

    # when: the manager opens the report
    page.goto(reverse("reports:screen"))

    # then: April to September 2025, exact, with a chart beside each table
    expect(page.get_by_role("heading", level=1)).to_have_text("Corporate Parenting report")
    expect(page.get_by_text("1 April 2025 to 30 September 2025, compared with")).to_be_visible()
    expect(page.get_by_role("region", name="Not for publication")).to_be_visible()
    key_figures = page.get_by_role("table", name="Key figures")
    expect(key_figures.get_by_role("row", name="Referrals")).to_contain_text("7")
    expect(key_figures.get_by_role("row", name="Placed here by another authority")).to_be_visible()
    assert_charts_loaded(page)
    assert_no_axe_violations(page)
    page.screenshot(path=SCREENSHOTS.format("exact"), full_page=True)

    # when: they look at the first quarter of 2025 instead
    page.get_by_text("Change the period").click()
    fill_date(page, "From", datetime.date(2025, 1, 1))
    fill_date(page, "To", datetime.date(2025, 3, 31))
    page.get_by_role("button", name="Show report").click()

    # then: the address is a plain link to the period, and the figures are that period's
    expect(page).to_have_url(
        f"{live_server.url}{reverse('reports:screen')}?start=2025-01-01&end=2025-03-31"
    )
    expect(page.get_by_text("1 January 2025 to 31 March 2025, compared with")).to_be_visible()
    referrals_row = page.get_by_role("table", name="Key figures").get_by_role(
        "row", name="Referrals"
    )
    expect(referrals_row.get_by_role("cell").first).to_have_text("1")
    assert_charts_loaded(page)
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)


def test_wrong_dates_are_explained_at_the_field(
    page, live_server, console_messages, team, october_2025
):
    # given
    manager = UserFactory(team=team, roles=[Role.SERVICE_MANAGER])
    sign_in_browser(page, live_server, manager)
    page.goto(reverse("reports:screen"))

    # when
    page.get_by_text("Change the period").click()
    fill_date(page, "From", datetime.date(2025, 9, 30))
    fill_date(page, "To", datetime.date(2025, 4, 1))
    page.get_by_role("button", name="Show report").click()

    # then
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("End date must be the same as or after the start date")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)


def test_director_reads_the_public_version_without_javascript(
    browser, live_server, team, october_2025
):
    # given: small numbers (3 looked-after children) that only exact readers may see
    some_referrals()
    director = UserFactory(team=team, roles=[Role.DIRECTOR])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in_browser(page, live_server, director)

    # when
    page.goto(reverse("reports:screen"))

    # then: suppressed, said so, and every chart and table there without scripts
    expect(page.get_by_role("region", name="Not for publication")).to_have_count(0)
    expect(page.get_by_text("counts from 1 to 4 are shown as <5").first).to_be_visible()
    looked_after = page.get_by_role("table", name="Key figures").get_by_role(
        "row", name="Looked after (% of children referred)"
    )
    expect(looked_after.get_by_role("cell").first).to_have_text("<5")
    assert_charts_loaded(page)
    page.screenshot(path=SCREENSHOTS.format("public"), full_page=True)
    context.close()
