"""A social worker books a professionals' meeting for a child at high risk, records it held with
the child's views and an action, and downloads the agenda; every page passes axe.

The child was at medium risk when the worker opened the booking form, so service managers were
offered as chair; an assessment approved meanwhile made the child High. Choosing the service
manager is then refused at the chair field with the rule, and the form offers CP managers.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.roles import Role
from cre_portal.timescales import LONDON
from referrals.codes import RiskLevel
from referrals.models import Child
from risk_assessment.models import ProfessionalsMeeting
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.risk_assessment.factories_meetings import MediumRiskChildFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HIGH_CHAIR = "The chair of a meeting about a child at high risk must be a child protection manager"


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


def answer(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def book_the_meeting(page: Page, child: Child, next_week: datetime.date) -> None:
    page.get_by_role("button", name="Book a professionals' meeting").click()
    expect(page.get_by_text("a service manager must chair the meeting")).to_be_visible()
    assert_no_axe_violations(page)
    fill_date(page, "Date of the meeting", next_week)
    page.get_by_label("Time it starts").fill("14:30")
    page.get_by_label("Where will the meeting be held?").fill("Room 2, County Hall")
    page.get_by_label("Who will chair the meeting?").select_option(label="Bo Service")
    answer(page, "Has the child been invited?", "Yes")
    answer(page, "Have the parents or carers been invited?", "Yes")
    # Meanwhile an approved assessment puts the child at high risk.
    Child.objects.filter(pk=child.pk).update(risk_level=RiskLevel.HIGH)
    page.get_by_role("button", name="Book meeting").click()

    # then: refused at the chair field, the rest of the answers kept
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(HIGH_CHAIR)
    expect(page.locator("#id_chair_1_error")).to_contain_text(HIGH_CHAIR)
    expect(page.get_by_label("Where will the meeting be held?")).to_have_value(
        "Room 2, County Hall"
    )
    assert_no_axe_violations(page)
    page.get_by_label("Who will chair the meeting?").select_option(label="Ann Chair")
    page.get_by_role("button", name="Book meeting").click()
    expect(page.get_by_text("Meeting booked. Add who else is invited.")).to_be_visible()
    assert_no_axe_violations(page)


def record_the_meeting(page: Page) -> None:
    page.get_by_role("button", name="Record the meeting").click()
    assert_no_axe_violations(page)
    answer(page, "Did the child attend?", "Yes")
    answer(page, "Did the parents or carers attend?", "No")
    page.get_by_label("Sam Patel, PC, Northshire Police").check()
    page.get_by_label("The child's views", exact=True).fill("I want to stay at my school.")
    page.get_by_label("Decisions").fill("Refer to the youth mentoring service.")
    page.get_by_role("button", name="Save the record of the meeting").click()
    expect(page.get_by_text("The record of the meeting has been saved")).to_be_visible()
    expect(page.get_by_text("I want to stay at my school.")).to_be_visible()
    assert_no_axe_violations(page)


def add_an_action(page: Page, due: datetime.date) -> None:
    page.get_by_role("button", name="Add an action").click()
    assert_no_axe_violations(page)
    page.get_by_label("What needs to be done?").fill("Arrange a mentor through the youth service")
    page.get_by_label("Who owns the action?").select_option(label="Wendy Worker")
    fill_date(page, "Due date", due)
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("Action added")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Arrange a mentor through the youth service")
    ).to_be_visible()
    assert_no_axe_violations(page)


def test_worker_books_records_and_downloads_a_meeting_for_a_high_risk_child(
    page, live_server, console_messages, team
):
    # given
    worker = UserFactory(team=team, full_name="Wendy Worker", roles=[Role.SOCIAL_WORKER])
    UserFactory(full_name="Ann Chair", roles=[Role.CP_MANAGER])
    UserFactory(full_name="Bo Service", roles=[Role.SERVICE_MANAGER])
    child = MediumRiskChildFactory(team=team, allocated_worker=worker)
    today = timezone.localdate()
    sign_in_browser(page, live_server, worker)

    # when: the worker books the meeting from the child's Meetings tab
    page.goto(f"/children/{child.pk}/meetings/")
    expect(
        page.get_by_label("Child's record").get_by_role("link", name="Meetings", exact=True)
    ).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)
    book_the_meeting(page, child, today + datetime.timedelta(days=7))

    # and invites a police officer
    page.get_by_role("button", name="Add an attendee").click()
    assert_no_axe_violations(page)
    page.get_by_label("Name").fill("Sam Patel")
    page.get_by_label("Role").fill("PC")
    page.get_by_label("Agency").fill("Northshire Police")
    page.get_by_role("button", name="Add attendee", exact=True).click()
    expect(page.get_by_text("Attendee added")).to_be_visible()

    # then: the meeting is High, chaired by the CP manager
    meeting = ProfessionalsMeeting.objects.get()
    assert (meeting.risk_level, meeting.chair.full_name) == (RiskLevel.HIGH, "Ann Chair")
    assert meeting.scheduled_for.astimezone(LONDON).strftime("%H:%M") == "14:30"

    # when: the meeting has taken place, the worker records it and the action agreed
    ProfessionalsMeeting.objects.update(scheduled_for=timezone.now() - datetime.timedelta(hours=1))
    page.reload()
    record_the_meeting(page)
    add_an_action(page, today + datetime.timedelta(days=14))

    # and downloads the agenda
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download the agenda as PDF").click()
    download = download_info.value

    # then: a PDF named by case reference, not by the child's name
    assert download.suggested_filename.startswith(f"meeting-agenda-{child.child_ref}-")
    assert child.last_name not in download.suggested_filename
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert_no_csp_errors(console_messages)
