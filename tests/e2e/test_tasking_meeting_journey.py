"""An operational chair plans a meeting, builds the agenda from the data and publishes it, records
the meeting with an immediate and a covert action, and escalates a place of concern; the
strategic chair finds it on their next agenda; a police member sees what their group shares,
and not the covert action. Every page passes axe.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from cre_portal.accounts.models import Agency
from cre_portal.accounts.roles import Role
from tasking.models import Action, Escalation, TaskingMeeting
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.e2e.conftest import assert_no_axe_violations, assert_no_csp_errors
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_meetings import ApprovedAssessmentFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    GroupMembershipFactory,
    StrategicGroupFactory,
    SubjectOfConcernFactory,
    TaskingGroupFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COVERT_DETAIL = "Hotel guest information request"
IMMEDIATE_DETAIL = "Child Abduction Warning Notice"


def sign_in_browser(page: Page, live_server, user) -> None:
    """Hand the browser a session that has passed MFA (the sign-in journey tests the real flow)."""
    page.context.clear_cookies()
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


def choose(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def plan_a_meeting(page: Page, group, day: datetime.date) -> None:
    page.goto(f"/tasking/groups/{group.pk}/meetings/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Plan a meeting").click()
    assert_no_axe_violations(page)
    fill_date(page, "Date of the meeting", day)
    page.get_by_label("Time it starts").fill("10:00")
    page.get_by_label("Where will the meeting be held?").fill("Room 2, County Hall")
    page.get_by_role("button", name="Plan meeting").click()
    expect(page.get_by_text("Meeting planned. Build its agenda next.")).to_be_visible()
    assert_no_axe_violations(page)


def build_and_publish(page: Page, high_risk_child, place_label: str) -> None:
    page.get_by_role("button", name="Propose items from the data").click()
    expect(page.get_by_text("new item(s) proposed from the data")).to_be_visible()
    expect(page.get_by_text(f"{high_risk_child.child_ref}: newly assessed High")).to_be_visible()
    expect(page.get_by_text(f"{place_label}: linked to 2 children")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add an item").click()
    assert_no_axe_violations(page)
    page.get_by_label("Title").fill("Partner update: licensing")
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_text("Item added to the agenda")).to_be_visible()
    page.get_by_role("button", name="Publish the agenda").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_text("Agenda published.")).to_be_visible()
    assert_no_axe_violations(page)


def add_action(page: Page, *, child, tactic: str, detail: str, nature: str, owner) -> None:
    page.get_by_role("button", name="Add an action").click()
    assert_no_axe_violations(page)
    if child is not None:
        page.get_by_label("Which child is it about? (optional)").select_option(
            label=child.child_ref
        )
    page.get_by_label("What needs to be done?").fill(f"{detail}, agreed at the meeting")
    choose(page, "Disruption tactic", tactic)
    page.get_by_label("Tactic in detail (optional)").fill(detail)
    choose(page, "Is the action immediate or covert?", nature)
    page.get_by_label("Which agency owns the action?").select_option(label="Police")
    page.get_by_label("Who owns the action? (optional)").select_option(label=owner.full_name)
    fill_date(page, "Due date", timezone.localdate() + datetime.timedelta(days=14))
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text(f"{nature} action added")).to_be_visible()
    assert_no_axe_violations(page)


def hold_and_escalate(page: Page, strategic, place_label: str) -> None:
    page.get_by_role("button", name=f"Escalate to {strategic.name}").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Escalate").click()  # nothing chosen yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what you are escalating")
    assert_no_axe_violations(page)
    choose(page, "What are you escalating?", place_label)
    page.get_by_label("Why are you escalating it?").fill("A pattern across the district")
    page.get_by_role("button", name="Escalate").click()
    expect(page.get_by_text(f"Escalated to {strategic.name}")).to_be_visible()
    page.get_by_role("button", name="Record the meeting as held").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record as held").click()
    expect(page.get_by_text("The meeting has been recorded as held")).to_be_visible()
    assert_no_axe_violations(page)


def test_chair_runs_a_meeting_and_escalates_a_place_to_the_strategic_group(
    page, live_server, console_messages
):
    # given: two tiers, a police member without covert clearance and one with it
    strategic = StrategicGroupFactory(
        name="Northshire strategic group",
        chair=UserFactory(full_name="Sid Strategic", roles=[Role.TASKING_CHAIR]),
    )
    operational = TaskingGroupFactory(
        name="North operational group",
        escalates_to=strategic,
        chair=UserFactory(full_name="Cara Chair", roles=[Role.TASKING_CHAIR]),
    )
    police = {"team": None, "agency": Agency.POLICE, "roles": [Role.PARTNER_MEMBER]}
    pat = GroupMembershipFactory(
        group=operational, user=UserFactory(full_name="Pat Police", **police)
    ).user
    col = GroupMembershipFactory(
        group=operational,
        user=UserFactory(full_name="Col Covert", **police),
        has_covert_clearance=True,
    ).user
    # the data: a child newly assessed High, and a place linked to two children
    high = ApprovedAssessmentFactory(completed_on=timezone.localdate()).child
    place = SubjectOfConcernFactory(name="Flat 9, Tower Court")
    ChildSubjectLinkFactory(subject=place, child=ChildFactory())
    ChildSubjectLinkFactory(subject=place, child=ChildFactory())
    place_label = f"Place of concern SUB-{place.pk.hex[:8].upper()}"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    # when: the operational chair plans, builds and publishes the agenda
    sign_in_browser(page, live_server, operational.chair)
    plan_a_meeting(page, operational, tomorrow)
    build_and_publish(page, high, place_label)
    # the meeting takes place
    meeting = TaskingMeeting.objects.get(group=operational)
    TaskingMeeting.objects.filter(pk=meeting.pk).update(
        scheduled_for=timezone.now() - datetime.timedelta(hours=1)
    )
    page.reload()
    add_action(
        page,
        child=high,
        tactic="Abduction and trafficking",
        detail=IMMEDIATE_DETAIL,
        nature="Immediate",
        owner=pat,
    )
    add_action(
        page,
        child=None,
        tactic="Locations of concern",
        detail=COVERT_DETAIL,
        nature="Covert",
        owner=col,
    )
    hold_and_escalate(page, strategic, place_label)

    # then
    assert Action.objects.filter(nature="COVERT").count() == 1
    assert Escalation.objects.get().subject == place

    # when: the strategic chair plans their next meeting and drafts its agenda
    sign_in_browser(page, live_server, strategic.chair)
    page.goto("/tasking/escalations/")
    expect(page.get_by_role("link", name=place_label)).to_be_visible()
    assert_no_axe_violations(page)
    plan_a_meeting(page, strategic, tomorrow)
    page.get_by_role("button", name="Propose items from the data").click()

    # then: the escalation is on it
    expect(
        page.get_by_text(f"Escalated from North operational group: {place_label}")
    ).to_be_visible()
    assert_no_axe_violations(page)

    # when: the police member opens their group's meeting
    sign_in_browser(page, live_server, pat)
    page.goto(f"/tasking/meetings/{meeting.pk}/")

    # then: the published agenda and the immediate action, nothing of the covert one
    expect(page.get_by_text(f"{high.child_ref}: newly assessed High")).to_be_visible()
    expect(page.get_by_role("heading", name="Actions agreed (1)")).to_be_visible()
    expect(
        page.get_by_role("link", name=f"Abduction and trafficking: {IMMEDIATE_DETAIL}")
    ).to_be_visible()
    expect(page.get_by_text(COVERT_DETAIL)).to_have_count(0)
    assert_no_axe_violations(page)
    covert = Action.objects.get(nature="COVERT")
    response = page.goto(f"/tasking/actions/{covert.pk}/")
    assert response is not None
    assert response.status == 404
    # and may open the record of the child the agenda shared with the group
    page.goto(f"/tasking/meetings/{meeting.pk}/")
    page.get_by_role("link", name=f"Open the record of {high.child_ref}").click()
    expect(page.get_by_role("heading", name=high.full_name)).to_be_visible()
    page.goto("/tasking/actions/mine/")
    expect(
        page.get_by_role("link", name=f"Abduction and trafficking: {IMMEDIATE_DETAIL}")
    ).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_csp_errors(console_messages)
