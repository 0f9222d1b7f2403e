"""Assessment pages: the Assessments tab and chart, starting, sections, submitting, deciding."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from referrals.codes import RiskLevel
from risk_assessment.models import Assessment
from risk_assessment.scoring import NOT_PRESENT, PRESENT
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import ReferralFactory
from tests.risk_assessment.factories_assessments import (
    ApprovedAssessmentFactory,
    AssessmentFactory,
    CompleteAssessmentFactory,
    SubmittedAssessmentFactory,
    small_template,
)

pytestmark = pytest.mark.django_db

Status = Assessment.Status


@pytest.fixture
def template():
    return small_template()


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


@pytest.fixture
def draft(child, template, social_worker):
    return AssessmentFactory(child=child, template=template, created_by=social_worker)


def text(response):
    return " ".join(response.content.decode().split())


def words(response):
    """The page's text without tags, as a reader sees it."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(name, obj, **query):
    base = reverse(f"risk_assessment:{name}", args=[obj.pk])
    return f"{base}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else base


def section_data(assessment, version=None, **answers):
    data = {"version": assessment.version if version is None else version}
    for row in assessment.answers.select_related("indicator"):
        code = row.indicator.code.replace("-", "_")
        data[f"answer_{row.indicator_id}"] = answers.get(code, "")
        data[f"evidence_{row.indicator_id}"] = "Evidence for " + code if code in answers else ""
        data[f"source_{row.indicator_id}"] = ""
    return data


# --- The Assessments tab and chart --------------------------------------------------------------
def test_assessments_tab_lists_assessments_with_the_level_over_time(
    signed_in, social_worker, child, template, django_assert_max_num_queries
):
    # given
    first = ApprovedAssessmentFactory(
        child=child, template=template, completed_on=datetime.date(2026, 1, 5)
    )
    ApprovedAssessmentFactory(
        child=child,
        template=template,
        completed_on=datetime.date(2026, 2, 2),
        answers={"trap-house": PRESENT},
    )
    for _ in range(3):
        ApprovedAssessmentFactory(child=child, template=template)
    child.risk_level = RiskLevel.HIGH
    child.save()
    client = signed_in(social_worker)

    # when
    with django_assert_max_num_queries(16):
        response = client.get(url("child_assessments", child))

    # then
    assert response.status_code == 200
    assert "risk_assessment/child_assessments.html" in [t.name for t in response.templates]
    page = words(response)
    assert "Approved assessments and their levels" in page
    assert "5 January 2026 Low 0" in page
    assert "2 February 2026 High 5" in page
    assert reverse("risk_assessment:assessment_chart", args=[child.pk]) in text(response)
    assert "<figcaption" in text(response)
    assert first.assessment_ref in page
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id) == (social_worker, child.pk)


def test_assessments_tab_offers_to_start_or_shows_the_one_in_progress(
    signed_in, social_worker, child, draft
):
    page = words(signed_in(social_worker).get(url("child_assessments", child)))

    assert f"{draft.assessment_ref} is draft" in page
    assert "Start a risk assessment" not in page


def test_chart_is_an_svg_image_and_its_read_is_logged(signed_in, social_worker, child, template):
    ApprovedAssessmentFactory(child=child, template=template)
    ApprovedAssessmentFactory(child=child, template=template, answers={"trap-house": PRESENT})

    response = signed_in(social_worker).get(url("assessment_chart", child))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml")
    assert b"<svg" in response.content
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert AccessLogEntry.objects.filter(child_id=child.pk).count() == 1


def test_chart_without_approved_assessments_still_draws(signed_in, social_worker, child):
    response = signed_in(social_worker).get(url("assessment_chart", child))

    assert response.status_code == 200
    assert b"<svg" in response.content


def test_tab_and_chart_are_404_out_of_scope(signed_in, other_team):
    stranger = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    child = ChildFactory()
    client = signed_in(stranger)

    assert client.get(url("child_assessments", child)).status_code == 404
    assert client.get(url("assessment_chart", child)).status_code == 404


# --- Starting -----------------------------------------------------------------------------------
def test_start_page_preselects_the_referral_in_the_link(signed_in, social_worker, child, template):
    referral = ReferralFactory(child=child)

    response = signed_in(social_worker).get(
        url("assessment_start", child, **{"from": "referral", "referral": referral.pk})
    )

    assert response.status_code == 200
    assert f'value="referral:{referral.pk}"' in response.content.decode()
    assert f'value="referral:{referral.pk}" checked' in " ".join(
        response.content.decode().split()
    ).replace('" checked="checked"', '" checked')


def test_start_from_a_referral(signed_in, social_worker, child, template):
    referral = ReferralFactory(child=child)

    response = signed_in(social_worker).post(
        url("assessment_start", child), {"start_from": f"referral:{referral.pk}"}
    )

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("assessment_detail", assessment)
    assert assessment.referral == referral


def test_start_without_a_choice_shows_the_error(signed_in, social_worker, child, template):
    ReferralFactory(child=child)

    response = signed_in(social_worker).post(url("assessment_start", child), {})

    assert response.status_code == 200
    assert "Select what this assessment starts from" in text(response)
    assert not Assessment.objects.exists()


def test_start_refuses_a_referral_that_is_not_offered(signed_in, social_worker, child, template):
    ReferralFactory(child=child)

    response = signed_in(social_worker).post(
        url("assessment_start", child), {"start_from": f"referral:{uuid.uuid4()}"}
    )

    assert "Select what this assessment starts from" in text(response)


def test_start_with_nothing_to_start_from_says_so(signed_in, social_worker, child, template):
    response = signed_in(social_worker).get(url("assessment_start", child))

    assert "There is nothing to start an assessment from yet" in text(response)


def test_start_goes_to_the_assessment_in_progress(signed_in, social_worker, child, draft):
    response = signed_in(social_worker).get(url("assessment_start", child))

    assert response["Location"] == url("assessment_detail", draft)


def test_missing_officer_may_not_start(signed_in, child, template):
    officer = UserFactory(roles=[Role.MISSING_OFFICER])

    assert signed_in(officer).get(url("assessment_start", child)).status_code == 403


# --- The assessment page ------------------------------------------------------------------------
def test_detail_shows_the_task_list_and_logs_the_read(signed_in, social_worker, draft):
    response = signed_in(social_worker).get(url("assessment_detail", draft))

    assert response.status_code == 200
    page = text(response)
    assert "Missing and running away" in page
    assert "Not yet started" in page
    assert "Check and submit" in page
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id, entry.child_id) == (
        "risk_assessment.assessment",
        str(draft.pk),
        draft.child_id,
    )


def test_detail_shows_what_changed_since_the_previous_assessment(
    signed_in, social_worker, child, template
):
    # given: before, money and grooming; now money and the trap house, grooming not present
    previous = ApprovedAssessmentFactory(
        child=child,
        template=template,
        answers={"unexplained-money": PRESENT, "online-grooming": PRESENT},
    )
    current = SubmittedAssessmentFactory(
        child=child,
        template=template,
        previous=previous,
        answers={"unexplained-money": PRESENT, "trap-house": PRESENT},
    )

    page = words(signed_in(social_worker).get(url("assessment_detail", current)))

    assert f"What changed since {previous.assessment_ref}" in page
    assert "Level Medium → High Risen" in page
    assert "New indicators Trap house Cleared Online grooming Still present Unexplained money" in (
        page
    )


def test_detail_is_404_out_of_scope(signed_in, other_team, draft):
    stranger = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])

    assert signed_in(stranger).get(url("assessment_detail", draft)).status_code == 404


def test_detail_of_a_restricted_child_asks_to_break_glass(signed_in, social_worker, draft):
    draft.child.is_restricted = True
    draft.child.save()

    response = signed_in(social_worker).get(url("assessment_detail", draft))

    assert response.status_code == 302
    assert response["Location"].startswith(f"/children/{draft.child_id}/restricted/")
    assert not AccessLogEntry.objects.exists()


# --- Sections -----------------------------------------------------------------------------------
def test_a_section_page_shows_its_indicators(signed_in, social_worker, draft):
    response = signed_in(social_worker).get(url("assessment_edit", draft, section="places"))

    assert response.status_code == 200
    assert "risk_assessment/assessment_section.html" in [t.name for t in response.templates]
    page = text(response)
    assert "Trap house" in page
    assert "High on its own" in page


def test_an_unknown_section_is_404(signed_in, social_worker, draft):
    response = signed_in(social_worker).get(url("assessment_edit", draft, section="nope"))

    assert response.status_code == 404


def test_save_and_continue_saves_and_moves_to_the_next_section(signed_in, social_worker, draft):
    response = signed_in(social_worker).post(
        url("assessment_edit", draft, section="missing"),
        section_data(draft, went_missing=PRESENT),
    )

    assert response.status_code == 302
    assert response["Location"] == url("assessment_edit", draft, section="associates")
    draft.refresh_from_db()
    assert (draft.score, draft.version) == (3, 2)
    row = draft.answers.get(indicator__code="went-missing")
    assert (row.answer, row.evidence) == (PRESENT, "Evidence for went_missing")


def test_the_last_section_goes_back_to_the_assessment(signed_in, social_worker, draft):
    data = {"version": draft.version, "override_level": "LOW", "override_reason": ""}

    response = signed_in(social_worker).post(
        url("assessment_edit", draft, section="judgement"), data
    )

    assert response["Location"] == url("assessment_detail", draft)


def test_a_stale_section_keeps_the_typed_answers_and_names_what_changed(
    signed_in, social_worker, team_manager, draft
):
    # given: the manager saved the Missing section after the worker loaded the page
    signed_in(team_manager).post(
        url("assessment_edit", draft, section="missing"),
        section_data(draft, went_missing=NOT_PRESENT),
    )

    # when: the worker saves the Missing section from their stale page
    response = signed_in(social_worker).post(
        url("assessment_edit", draft, section="missing"),
        section_data(draft, version=1, went_missing=PRESENT),
    )

    # then
    assert response.status_code == 200
    page = text(response)
    assert "Someone else changed this record while you were editing it" in page
    assert "answers in Missing and running away" in page
    assert "Evidence for went_missing" in page
    row_id = draft.answers.get(indicator__code="went-missing").indicator_id
    radio = re.search(rf'<input[^>]*id="id_answer_{row_id}_1"[^>]*>', page)[0]
    assert 'value="PRESENT"' in radio
    assert "checked" in radio
    assert 'name="version" value="2"' in page
    assert draft.answers.get(indicator__code="went-missing").answer == NOT_PRESENT


def test_views_section_needs_the_type_and_keeps_input(signed_in, social_worker, draft):
    data = {"version": draft.version, "child_view": "I am fine thanks", "parent_view": ""}

    response = signed_in(social_worker).post(url("assessment_edit", draft, section="views"), data)

    assert response.status_code == 200
    page = text(response)
    assert "Select the type of exploitation" in page
    assert "I am fine thanks" in page


def test_judgement_without_a_reason_shows_the_error(signed_in, social_worker, draft):
    data = {"version": draft.version, "override_level": "HIGH", "override_reason": ""}

    response = signed_in(social_worker).post(
        url("assessment_edit", draft, section="judgement"), data
    )

    assert "Enter why the level should be different from the computed level" in text(response)


def test_a_submitted_assessment_cannot_be_edited(signed_in, social_worker, child, template):
    submitted = SubmittedAssessmentFactory(child=child, template=template)

    response = signed_in(social_worker).get(url("assessment_edit", submitted))

    assert response["Location"] == url("assessment_detail", submitted)


# --- Submitting ---------------------------------------------------------------------------------
def test_submit_page_lists_what_is_missing(signed_in, social_worker, draft):
    response = signed_in(social_worker).get(url("assessment_submit", draft))

    page = text(response)
    assert "This assessment is not complete yet" in page
    assert "Answer every indicator in Missing and running away (1 not answered)" in page


def test_submitting_an_incomplete_assessment_shows_the_errors(signed_in, social_worker, draft):
    response = signed_in(social_worker).post(
        url("assessment_submit", draft), {"version": draft.version}
    )

    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert "Select the type of exploitation" in text(response)


def test_submit(signed_in, social_worker, child, template):
    complete = CompleteAssessmentFactory(child=child, template=template, created_by=social_worker)

    response = signed_in(social_worker).post(
        url("assessment_submit", complete), {"version": complete.version}
    )

    assert response["Location"] == url("assessment_detail", complete)
    complete.refresh_from_db()
    assert complete.status == Status.SUBMITTED


# --- Deciding -----------------------------------------------------------------------------------
def test_approve_page_warns_and_needs_the_tick_when_lowered(
    signed_in, social_worker, team_manager, child, template
):
    # given
    lowered = SubmittedAssessmentFactory(
        child=child,
        template=template,
        created_by=social_worker,
        answers={"trap-house": PRESENT},
        override_level=RiskLevel.LOW,
        override_reason="A relative's flat, not a trap house.",
    )
    client = signed_in(team_manager)

    # when
    page = text(client.get(url("assessment_approve", lowered)))
    refused = client.post(url("assessment_approve", lowered), {"version": lowered.version})
    agreed = client.post(
        url("assessment_approve", lowered), {"version": lowered.version, "confirm_lowering": "on"}
    )

    # then
    assert "The level has been lowered by professional judgement, from High" in page
    assert "I agree the level should be lowered" in page
    assert "Confirm that you agree the level should be lowered" in text(refused)
    assert agreed["Location"] == url("assessment_detail", lowered)
    lowered.refresh_from_db()
    assert (lowered.status, lowered.level) == (Status.APPROVED, RiskLevel.LOW)


def test_approve_page_without_lowering_has_no_tick(
    signed_in, social_worker, team_manager, child, template
):
    assessment = SubmittedAssessmentFactory(
        child=child, template=template, created_by=social_worker
    )

    page = text(signed_in(team_manager).get(url("assessment_approve", assessment)))

    assert "I agree the level should be lowered" not in page
    assert "Approve the assessment" in page


def test_the_author_may_not_open_the_approval_page(signed_in, team_manager, child, template):
    own = SubmittedAssessmentFactory(child=child, template=template, created_by=team_manager)

    assert signed_in(team_manager).get(url("assessment_approve", own)).status_code == 403


def test_return_needs_comments_and_keeps_the_page(
    signed_in, social_worker, team_manager, child, template
):
    assessment = SubmittedAssessmentFactory(
        child=child, template=template, created_by=social_worker
    )
    client = signed_in(team_manager)

    empty = client.post(url("assessment_return", assessment), {"version": assessment.version})
    done = client.post(
        url("assessment_return", assessment),
        {"version": assessment.version, "comments": "Speak to the school first."},
    )

    assert "Enter what needs to change" in text(empty)
    assert done["Location"] == url("assessment_detail", assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED


def test_a_stale_approval_says_so(signed_in, social_worker, team_manager, child, template):
    assessment = SubmittedAssessmentFactory(
        child=child, template=template, created_by=social_worker
    )

    response = signed_in(team_manager).post(
        url("assessment_approve", assessment), {"version": assessment.version + 5}
    )

    assert "Someone else changed this record while you were editing it" in text(response)


def test_approval_page_of_an_approved_assessment_redirects(
    signed_in, team_manager, child, template
):
    approved = ApprovedAssessmentFactory(child=child, template=template)

    response = signed_in(team_manager).get(url("assessment_approve", approved))

    assert response["Location"] == url("assessment_detail", approved)


def test_the_approved_page_shows_the_level_and_the_review_date(
    signed_in, social_worker, child, template
):
    approved = ApprovedAssessmentFactory(
        child=child, template=template, completed_on=timezone.localdate()
    )

    page = text(signed_in(social_worker).get(url("assessment_detail", approved)))

    assert "Review due" in page
    assert "Check and submit" not in page
