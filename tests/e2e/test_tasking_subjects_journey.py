"""A tasking chair adds a place of concern (warned of a near match first), links two children
to it, opens its network, follows the list of links by keyboard, and asks which children were
linked in the last 90 days. Every page passes axe."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from tasking.models import ChildSubjectLink, SubjectOfConcern
from tests.accounts.factories import TeamFactory, UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import SubjectOfConcernFactory, TaskingGroupFactory
from tests.tasking.factories_meetings import PublishedMeetingFactory, put_on_agenda

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


def checked_page(page: Page, heading: str | None = None) -> None:
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text(heading) if heading else expect(h1).to_be_visible()
    assert_no_axe_violations(page)


def add_place(page: Page) -> None:
    page.get_by_role("button", name="Add a subject").click()
    checked_page(page, "What kind of subject of concern is it?")
    page.get_by_label("Place").check()
    page.get_by_role("button", name="Continue").click()
    checked_page(page, "Add a place of concern")
    # An empty form first: the problem is listed and the title says so.
    page.get_by_role("button", name="Save the subject").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_no_axe_violations(page)
    page.get_by_label("Name", exact=True).fill("Flat 3 Towers Court")
    page.get_by_label("Address (optional)").fill("Flat 3, Tower Court, Northtown")
    page.get_by_label("Postcode (optional)").fill("nt1 2ab")
    page.get_by_role("button", name="Save the subject").click()


def link_child(page: Page, child_ref: str, linked_on: datetime.date) -> None:
    page.get_by_role("button", name="Link a child").click()
    checked_page(page, "Link a child")
    page.get_by_label("Child's case reference").fill(child_ref)
    page.get_by_label("Return home interview").check()
    page.get_by_label("Reference (optional)").fill("RHI-0042")
    group = page.get_by_role("group", name=re.compile("Date of the link"))
    group.get_by_label("Day").fill(str(linked_on.day))
    group.get_by_label("Month").fill(str(linked_on.month))
    group.get_by_label("Year").fill(str(linked_on.year))
    page.get_by_label("Reported", exact=True).check()
    page.get_by_role("button", name="Save the link").click()
    expect(page.get_by_text(f"Child {child_ref} linked")).to_be_visible()
    assert_no_axe_violations(page)


def tab_into_the_table(page: Page) -> None:
    """Press Tab from the top of the page until a link in the table of links has the focus."""
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('table') !== null"):
            return
    pytest.fail("Tab never reached a link in the table of links")


def test_chair_records_a_place_links_children_and_reads_the_network(
    page, live_server, console_messages, team
):
    # given: two children on the published agenda of the chair's group, and a place of concern
    # already recorded by another team under a slightly different name
    chair = UserFactory(team=team, roles=[Role.TASKING_CHAIR])
    jay = ChildFactory(team=team, first_name="Jayden", last_name="Smith")
    mia = ChildFactory(team=team, first_name="Mia", last_name="Khan")
    meeting = PublishedMeetingFactory(group=TaskingGroupFactory(chair=chair))
    for child in (jay, mia):
        put_on_agenda(meeting, child=child)
    south = UserFactory(
        team=TeamFactory(name="South exploitation team"), roles=[Role.SOCIAL_WORKER]
    )
    SubjectOfConcernFactory(name="Flat 3, Tower Court", created_by=south)
    sign_in_as(page, live_server.url, chair)
    page.goto(reverse("tasking:subject_list"))
    checked_page(page, "Subjects of concern")

    # when: the place is added, past the warning of a possible match held elsewhere
    add_place(page)
    checked_page(page, "This may already be recorded")
    expect(page.get_by_text("Contact South exploitation team")).to_be_visible()
    expect(page.get_by_text("Flat 3, Tower Court")).to_have_count(0)
    page.get_by_role("button", name="It is not one of these: add the subject").click()

    # then: its record opens for the chair who added it
    checked_page(page, "Flat 3 Towers Court")
    place = SubjectOfConcern.objects.get(name="Flat 3 Towers Court")
    assert place.created_by == chair
    assert place.is_restricted

    # when: two children are linked to it
    today = timezone.localdate()
    link_child(page, jay.child_ref, today - datetime.timedelta(days=10))
    link_child(page, mia.child_ref, today - datetime.timedelta(days=40))
    assert ChildSubjectLink.objects.filter(subject=place).count() == 2

    # then: the network shows both, drawn and listed
    nav = page.get_by_role("navigation", name="Subject's record")
    nav.get_by_role("link", name="Network").click()
    checked_page(page, "Flat 3 Towers Court")
    drawing = page.get_by_role("img", name=re.compile("Network diagram centred on Place"))
    expect(drawing).to_be_visible()
    assert page.evaluate("document.querySelector('figure img').naturalWidth") > 0
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_text("Reported")).to_have_count(2)

    # when: the list is used by keyboard alone
    tab_into_the_table(page)
    focused = page.evaluate("document.activeElement.textContent").strip()
    page.keyboard.press("Enter")

    # then: the link followed is the node's own network
    expect(page).to_have_url(re.compile(r"/tasking/(children|subjects)/[0-9a-f-]+/network/$"))
    checked_page(page)
    assert focused

    # when: the chair asks which children were linked to the place in the last 90 days
    page.goto(reverse("tasking:subject_detail", args=[place.pk]))
    page.get_by_role(
        "link", name="Which children are linked to this place in the last 90 days?"
    ).click()

    # then
    checked_page(page, "Flat 3 Towers Court")
    expect(page.get_by_role("heading", name="Children linked in the last 90 days")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Jayden Smith"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Mia Khan"))).to_be_visible()
    assert_no_csp_errors(console_messages)
