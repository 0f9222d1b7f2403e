"""Risk assessment pages: the child's Assessments tab and chart, starting, answering section by
section, submitting, approving or returning, and what changed since the last assessment."""

import dataclasses
import io
from collections.abc import Callable
from functools import wraps
from typing import Any

import matplotlib
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from matplotlib import dates
from matplotlib.figure import Figure

from cre_portal.concurrency import StaleEdit
from cre_portal.timescales import risk_review_due
from referrals.codes import RiskLevel
from referrals.record_access import child_record_view, open_record
from risk_assessment.forms.assessments import (
    AssessmentApproveForm,
    AssessmentJudgementForm,
    AssessmentReturnForm,
    AssessmentSectionForm,
    AssessmentStartForm,
    AssessmentSubmitForm,
    AssessmentViewsForm,
)
from risk_assessment.models import Assessment, Domain
from risk_assessment.permissions.assessments import (
    can_approve_assessment,
    can_complete_assessment,
    visible_assessments,
)
from risk_assessment.scoring import (
    PRESENT,
    answers_by_code,
    is_lowering,
    rank,
    what_changed,
)
from risk_assessment.services import assessments as services

matplotlib.use("Agg")

PAGE_SIZE = 25
FORM_METHODS = ["GET", "POST"]
Status = Assessment.Status
LEVEL_COLOURS = {RiskLevel.LOW: "#00703c", RiskLevel.MEDIUM: "#f47738", RiskLevel.HIGH: "#d4351c"}


def posted(request):
    """The POST data to bind, or None on GET (an empty POST must still show its errors)."""
    return request.POST if request.method == "POST" else None


def assessment_record_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views addressed by an assessment's pk: scope (404), then open it (logs the read)."""

    @wraps(view)
    def wrapper(request, pk):
        assessments = visible_assessments(request.user).with_related()
        assessment = get_object_or_404(
            assessments.select_related("previous", "referral", "missing_episode"), pk=pk
        )
        return open_record(request, assessment, assessment.child) or view(request, assessment)

    return wrapper


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: at its fields if the form has them all."""
    if hasattr(error, "error_dict") and error.error_dict.keys() <= form.fields.keys():
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


def after_stale_edit(form, assessment: Assessment, stale: StaleEdit) -> None:
    """Keep the user's input, say what changed, and carry the current version to save again."""
    form.add_error(None, stale.message)
    assessment.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = assessment.version


# --- Sections ---------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Section:
    slug: str
    title: str
    domain: str = ""


VIEWS = Section("views", "Views and type of exploitation")
JUDGEMENT = Section("judgement", "Professional judgement")


def sections_of(assessment: Assessment, answers: list) -> list[Section]:
    """The template's domains that have indicators, then the views, then the judgement."""
    domains = {row.indicator.domain for row in answers}
    found = [Section(d.lower(), d.label, d) for d in Domain if d in domains]
    return [*found, VIEWS, JUDGEMENT]


def _status(section: Section, assessment: Assessment, answers: list) -> tuple[str, bool]:
    """(status words, done) for the task list."""
    if section == VIEWS:
        done = bool(assessment.exploitation_type and assessment.child_view)
        return ("Completed" if done else "Incomplete"), done
    if section == JUDGEMENT:
        if assessment.override_level:
            return f"Level set to {assessment.get_override_level_display()}", True
        return "Optional", True
    rows = [row for row in answers if row.indicator.domain == section.domain]
    answered = sum(1 for row in rows if row.answer)
    if answered == len(rows):
        return "Completed", True
    return ("In progress" if answered else "Not yet started"), False


def task_list(assessment: Assessment, answers: list) -> list[dict[str, Any]]:
    url = reverse("risk_assessment:assessment_edit", args=[assessment.pk])
    return [
        {
            "section": section,
            "url": f"{url}?section={section.slug}",
            "status": status,
            "done": done,
        }
        for section in sections_of(assessment, answers)
        for status, done in [_status(section, assessment, answers)]
    ]


# --- What changed -----------------------------------------------------------------------------
def changes_since_previous(assessment: Assessment, answers: list) -> dict[str, Any] | None:
    """Indicator wording by how it moved since the previous approved assessment, and the level."""
    previous = assessment.previous
    if previous is None:
        return None
    before_rows = services.answers_of(previous)
    changes = what_changed(
        now=answers_by_code(answers),
        before=answers_by_code(before_rows),
        level_now=assessment.level,
        level_before=previous.level,
    )
    wording = {row.indicator.code: row.indicator.text for row in [*before_rows, *answers]}
    kinds = ("appeared", "cleared", "persisted", "unconfirmed")
    lists = {kind: [wording[code] for code in getattr(changes, kind)] for kind in kinds}
    return {"previous": previous, "changes": changes, **lists}


# --- The child's Assessments tab and chart ----------------------------------------------------
@require_GET
@child_record_view
def child_assessments(request, child):
    assessments = child.assessments.select_related("created_by", "decided_by")
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    history = child.assessments.approved().order_by("completed_on", "decided_at")
    context = {
        "child": child,
        "page_obj": page,
        "history": list(history),
        "in_progress": services.assessment_in_progress(child),
        "can_start": can_complete_assessment(request.user, child),
        "review_overdue": bool(
            child.next_review_on and child.next_review_on < timezone.localdate()
        ),
    }
    return render(request, "risk_assessment/child_assessments.html", context)


CHART_STYLE: dict[Any, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"],
    "font.size": 11,
    "text.color": "#0b0c0c",
    "axes.labelcolor": "#0b0c0c",
    "xtick.color": "#0b0c0c",
    "ytick.color": "#0b0c0c",
    "svg.fonttype": "path",
}


def level_chart_svg(history: list[Assessment]) -> bytes:
    """The level of each approved assessment over time, as an SVG step chart."""
    with matplotlib.rc_context(CHART_STYLE):
        figure = Figure(figsize=(7.5, 3), dpi=100, layout="constrained")
        axes = figure.add_subplot()
        axes.set_yticks([1, 2, 3], [level.label for level in RiskLevel])
        axes.set_ylim(0.5, 3.5)
        axes.set_ylabel("Risk level")
        axes.grid(axis="y", color="#b1b4b6", linewidth=0.5)
        if history:
            _plot_levels(axes, history)
        else:
            axes.text(
                0.5, 0.5, "No approved assessments yet", ha="center", transform=axes.transAxes
            )
            axes.set_xticks([])
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _plot_levels(axes: Any, history: list[Assessment]) -> None:
    # Each level holds until the next assessment: a step, not a slope.
    days = dates.date2num([assessment.completed_on for assessment in history])
    levels = [rank(assessment.level) for assessment in history]
    axes.xaxis_date()
    axes.xaxis.set_major_formatter(dates.DateFormatter("%-d %b %Y"))
    axes.plot(days, levels, color="#505a5f", linewidth=1.5, drawstyle="steps-post")
    colours = [LEVEL_COLOURS[RiskLevel(assessment.level)] for assessment in history]
    axes.scatter(days, levels, c=colours, s=60, zorder=3)
    axes.figure.autofmt_xdate()


# The SVG is shown in an <img>, which CSP allows from 'self'. matplotlib styles its SVG with a
# <style> element and style attributes: allowed in this response only, which has no script and
# nothing typed by a user in it.
@require_GET
@never_cache
@csp_update({"style-src": ["'unsafe-inline'"]})
@child_record_view
def assessment_chart(request, child):
    history = child.assessments.approved().order_by("completed_on", "decided_at")
    return HttpResponse(level_chart_svg(list(history)), content_type="image/svg+xml")


# --- Starting ---------------------------------------------------------------------------------
def _start_initial(request) -> str:
    """The origin a link preselects: ?from=referral&referral=<id>, ?from=rhi&episode=<id>, or
    ?from=review. The form only accepts it if it is one of the choices offered."""
    origin = request.GET.get("from", "")
    key = {"referral": "referral", "rhi": "episode"}.get(origin)
    return f"{origin}:{request.GET.get(key, '')}" if key else origin


@require_http_methods(FORM_METHODS)
@child_record_view
def assessment_start(request, child):
    if not can_complete_assessment(request.user, child):
        raise PermissionDenied
    if (open_one := services.assessment_in_progress(child)) is not None:
        messages.info(request, f"{open_one.assessment_ref} is already in progress for this child")
        return redirect("risk_assessment:assessment_detail", open_one.pk)
    form = AssessmentStartForm(
        posted(request),
        initial={"start_from": _start_initial(request)},
        referrals=services.start_referrals(child),
        episodes=services.start_interviews(child),
        previous=services.latest_approved(child),
    )
    if form.is_valid():
        try:
            assessment = services.assessment_start(
                child=child, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Risk assessment {assessment.assessment_ref} started")
            return redirect("risk_assessment:assessment_detail", assessment.pk)
    return render(request, "risk_assessment/assessment_start.html", {"child": child, "form": form})


# --- One assessment ---------------------------------------------------------------------------
@require_GET
@assessment_record_view
def assessment_detail(request, assessment):
    answers = services.answers_of(assessment)
    editable = assessment.status in services.EDITABLE
    may_edit = editable and can_complete_assessment(request.user, assessment.child)
    decidable = assessment.status == Status.SUBMITTED
    context = {
        "assessment": assessment,
        "child": assessment.child,
        "tasks": task_list(assessment, answers) if may_edit else [],
        **summary_context(assessment, answers),
        "may_edit": may_edit,
        "may_decide": decidable and can_approve_assessment(request.user, assessment),
        "problems": services.submit_problems(assessment) if may_edit else [],
    }
    return render(request, "risk_assessment/assessment_detail.html", context)


def answers_by_domain(answers: list) -> list[tuple[str, list]]:
    """(domain label, its answers) in the template's order, for the read-only summary."""
    return [
        (domain.label, rows)
        for domain in Domain
        if (rows := [row for row in answers if row.indicator.domain == domain])
    ]


def summary_context(assessment: Assessment, answers: list) -> dict[str, Any]:
    """What the read-only summary shows: present indicators first, every answer, what changed."""
    by_domain = answers_by_domain(answers)
    return {
        "by_domain": by_domain,
        "present": [
            (title, row) for title, rows in by_domain for row in rows if row.answer == PRESENT
        ],
        "what_changed": changes_since_previous(assessment, answers),
    }


def _section_form(section: Section, assessment: Assessment, answers: list, data):
    initial: dict[str, Any] = {"version": assessment.version}
    if section == VIEWS:
        fields = ("exploitation_type", "child_view", "parent_view")
        initial.update({name: getattr(assessment, name) for name in fields})
        return AssessmentViewsForm(data, initial=initial)
    if section == JUDGEMENT:
        initial["override_level"] = assessment.override_level or assessment.computed_level
        initial["override_reason"] = assessment.override_reason
        label = assessment.get_computed_level_display()
        return AssessmentJudgementForm(data, initial=initial, computed_label=label)
    rows = [row for row in answers if row.indicator.domain == section.domain]
    return AssessmentSectionForm(data, initial=initial, answers=rows)


SECTION_SERVICES = {
    VIEWS.slug: services.assessment_save_views,
    JUDGEMENT.slug: services.assessment_save_judgement,
}


def _call_service(request, form, assessment: Assessment, service, arguments) -> bool:
    """Call the service with the form's input; False (with the errors on the form) if refused."""
    try:
        service(assessment=assessment, actor=request.user, **arguments)
    except StaleEdit as stale:
        after_stale_edit(form, assessment, stale)
    except ValidationError as error:
        add_service_errors(form, error)
    else:
        return True
    return False


def _save_section(request, form, section: Section, assessment: Assessment) -> bool:
    service = SECTION_SERVICES.get(section.slug, services.assessment_save_answers)
    return _call_service(request, form, assessment, service, form.service_arguments())


def _versioned(form) -> dict[str, Any]:
    """The form's input as service arguments: its version is the expected version."""
    arguments = dict(form.cleaned_data)
    arguments["expected_version"] = arguments.pop("version")
    return arguments


def _next_url(assessment: Assessment, sections: list[Section], section: Section) -> str:
    later = sections[sections.index(section) + 1 :]
    if not later:
        return reverse("risk_assessment:assessment_detail", args=[assessment.pk])
    url = reverse("risk_assessment:assessment_edit", args=[assessment.pk])
    return f"{url}?section={later[0].slug}"


@require_http_methods(FORM_METHODS)
@assessment_record_view
def assessment_edit(request, assessment):
    if not can_complete_assessment(request.user, assessment.child):
        raise PermissionDenied
    if assessment.status not in services.EDITABLE:
        messages.info(request, services.NOT_EDITABLE)
        return redirect("risk_assessment:assessment_detail", assessment.pk)
    answers = services.answers_of(assessment)
    sections = sections_of(assessment, answers)
    section = _section_named(sections, request.GET.get("section"))
    form = _section_form(section, assessment, answers, posted(request))
    if form.is_valid() and _save_section(request, form, section, assessment):
        messages.success(request, f"Your answers in {section.title} have been saved")
        return redirect(_next_url(assessment, sections, section))
    context = {"assessment": assessment, "child": assessment.child, "form": form}
    context |= {"section": section, "sections": sections}
    return render(request, "risk_assessment/assessment_section.html", context)


def _section_named(sections: list[Section], slug: str | None) -> Section:
    """The section in ?section=, the first by default; anything else is not a page (404)."""
    if not slug:
        return sections[0]
    for section in sections:
        if section.slug == slug:
            return section
    raise Http404


# --- Submitting and deciding ------------------------------------------------------------------
@require_http_methods(FORM_METHODS)
@assessment_record_view
def assessment_submit(request, assessment):
    if not can_complete_assessment(request.user, assessment.child):
        raise PermissionDenied
    if assessment.status not in services.EDITABLE:
        messages.info(request, services.NOT_EDITABLE)
        return redirect("risk_assessment:assessment_detail", assessment.pk)
    form = AssessmentSubmitForm(posted(request), initial={"version": assessment.version})
    service = services.assessment_submit
    if form.is_valid() and _call_service(request, form, assessment, service, _versioned(form)):
        messages.success(request, f"{assessment.assessment_ref} submitted for approval")
        return redirect("risk_assessment:assessment_detail", assessment.pk)
    return _summary_page(request, assessment, form, "risk_assessment/assessment_submit.html")


def _summary_page(request, assessment: Assessment, form, template_name: str) -> HttpResponse:
    """A check-the-answers page: the whole assessment read-only above the form."""
    answers = services.answers_of(assessment)
    lowering = is_lowering(
        computed_level=assessment.computed_level, override_level=assessment.override_level
    )
    context = {
        "assessment": assessment,
        "child": assessment.child,
        "form": form,
        **summary_context(assessment, answers),
        "problems": services.submit_problems(assessment),
        "lowering": lowering,
        "review_on": risk_review_due(assessment.level, timezone.localdate()),
    }
    return render(request, template_name, context)


def _decision_page(request, assessment: Assessment, *, approve: bool) -> HttpResponse:
    """Approve or return: only a manager who may decide, only while it is submitted."""
    if not can_approve_assessment(request.user, assessment):
        raise PermissionDenied
    if assessment.status != Status.SUBMITTED:
        messages.info(request, services.NOT_SUBMITTED)
        return redirect("risk_assessment:assessment_detail", assessment.pk)
    initial = {"version": assessment.version}
    form: AssessmentApproveForm | AssessmentReturnForm
    service: Callable[..., Assessment]
    if approve:
        lowering = is_lowering(
            computed_level=assessment.computed_level, override_level=assessment.override_level
        )
        form = AssessmentApproveForm(posted(request), initial=initial, lowering=lowering)
        service, done = services.assessment_approve, "approved"
    else:
        form = AssessmentReturnForm(posted(request), initial=initial)
        service, done = services.assessment_return, "returned to be changed"
    if form.is_valid() and _call_service(request, form, assessment, service, _versioned(form)):
        messages.success(request, f"{assessment.assessment_ref} {done}")
        return redirect("risk_assessment:assessment_detail", assessment.pk)
    name = "assessment_approve" if approve else "assessment_return"
    return _summary_page(request, assessment, form, f"risk_assessment/{name}.html")


@require_http_methods(FORM_METHODS)
@assessment_record_view
def assessment_approve(request, assessment):
    return _decision_page(request, assessment, approve=True)


@require_http_methods(FORM_METHODS)
@assessment_record_view
def assessment_return(request, assessment):
    return _decision_page(request, assessment, approve=False)
