"""A social worker searches, finds nothing, adds the child past a possible duplicate held by
another team, opens the new record and edits it; every page passes axe."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from referrals.models import Child
from tests.accounts.factories import TeamFactory, UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in_browser(page: Page, live_server, user) -> None:
    """Give the browser a session that has passed MFA (the sign-in journey tests the real one)."""
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def fill_date(page: Page, day: str, month: str, year: str) -> None:
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)


def test_social_worker_finds_nothing_adds_the_child_and_edits_the_record(
    page, live_server, console_messages
):
    # given: the child is already known to another team, as "Jaden"
    team, other_team = TeamFactory(name="North team"), TeamFactory(name="South team")
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    theirs = ChildFactory(
        first_name="Jaden",
        last_name="Smith",
        date_of_birth=datetime.date(2012, 3, 12),
        team=other_team,
    )
    sign_in_browser(page, live_server, worker)

    # when: the worker searches their children
    page.goto(reverse("referrals:child_list"))
    assert_no_axe_violations(page)
    page.get_by_label("Search by name, case reference or date of birth").fill("Jayden Smith")
    page.get_by_role("button", name="Search").click()

    # then: nothing in their scope
    expect(page.get_by_role("heading", name="No children match “Jayden Smith”")).to_be_visible()
    assert_no_axe_violations(page)

    # when: they add the child, first making a mistake
    page.get_by_role("link", name="add a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is the child?")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a child"))
    assert_no_axe_violations(page)
    page.get_by_label("First name").fill("Jayden")
    page.get_by_label("Last name").fill("Smith")
    fill_date(page, "12", "3", "2012")
    page.get_by_role("button", name="Continue").click()

    # then: the other team's record is flagged by reference and team only
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check whether the child already has a record"
    )
    expect(page.get_by_text("A possible match is held by South team")).to_be_visible()
    expect(page.get_by_text(theirs.child_ref).first).to_be_visible()
    expect(page.get_by_text("Jaden")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_label("I have checked these records and none of them is this child").check()
    page.get_by_role("button", name="Continue").click()

    # when: they fill in the record
    expect(page.get_by_role("heading", level=1)).to_have_text("Add the child's details")
    assert_no_axe_violations(page)
    page.get_by_label("Other names the child is known by").fill("JJ")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Ethnicity").select_option("MWBC")
    page.get_by_label("Looked after", exact=True).check()
    page.get_by_label("Legal status").select_option("C2")
    page.get_by_label("Placement type").select_option("K2")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Which local authority placed the child?").fill("Southdale Council")
    page.get_by_role("button", name="Add child").click()

    # then: the new record opens
    child = Child.objects.get(first_name="Jayden")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jayden Smith")
    expect(page.get_by_text(f"Child added with case reference {child.child_ref}")).to_be_visible()
    expect(page.get_by_text("Southdale Council")).to_be_visible()
    assert_no_axe_violations(page)

    # when: they correct the record
    page.get_by_role("link", name="Change gender identity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Jayden Smith's record")
    assert_no_axe_violations(page)
    page.get_by_label("Gender identity").fill("Boy")
    page.get_by_role("button", name="Save changes").click()

    # then
    expect(page.get_by_text("The child's record has been updated")).to_be_visible()
    expect(page.get_by_text("Boy", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
    assert Child.objects.get(pk=child.pk).version == 2
