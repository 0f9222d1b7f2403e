"""Report schedules and the committee paper's wording: pages for the report manager."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cre_portal.concurrency import StaleEdit
from reports.forms.schedules import PaperTemplateForm, ReportScheduleForm
from reports.permissions.runs import (
    can_edit_paper_templates,
    can_manage_report_schedules,
    visible_report_schedules,
)
from reports.renderers.paper_text import PLACEHOLDERS
from reports.services.schedules import (
    report_schedule_create,
    report_schedule_deactivate,
    report_schedule_update,
)
from reports.services.templates import paper_template_current, paper_template_update

PAGE_SIZE = 25
PAPER_HELP = (
    "Leave a blank line between paragraphs; start a line with “- ” for a bullet. Placeholders "
    "such as {referrals_total} are replaced by the report's figures."
)


def _run(form, action):
    """Call the service; a refusal goes onto the form, which keeps the user's input."""
    try:
        return action()
    except StaleEdit as stale:
        form.add_error(None, stale.message)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    return None


@require_GET
def schedule_list(request):
    if not can_manage_report_schedules(request.user):
        raise PermissionDenied
    schedules = visible_report_schedules(request.user).prefetch_related("recipients")
    page = Paginator(schedules, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/schedule_list.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
def schedule_create(request):
    if not can_manage_report_schedules(request.user):
        raise PermissionDenied
    form = ReportScheduleForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        create = partial(report_schedule_create, actor=request.user, **form.schedule_fields())
        if _run(form, create) is not None:
            messages.success(request, "Schedule saved")
            return redirect("reports:schedule_list")
    return render(request, "reports/schedule_form.html", {"form": form, "schedule": None})


@require_http_methods(["GET", "POST"])
def schedule_edit(request, pk):
    schedule = get_object_or_404(visible_report_schedules(request.user), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = ReportScheduleForm(data, schedule=schedule)
    if form.is_valid():
        update = partial(
            report_schedule_update,
            schedule=schedule,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            **form.schedule_fields(),
        )
        if _run(form, update) is not None:
            messages.success(request, "Schedule saved")
            return redirect("reports:schedule_list")
    return render(request, "reports/schedule_form.html", {"form": form, "schedule": schedule})


@require_POST
def schedule_deactivate(request, pk):
    schedule = get_object_or_404(visible_report_schedules(request.user), pk=pk)
    report_schedule_deactivate(schedule=schedule, actor=request.user)
    messages.success(request, f"{schedule.name} will not be made again until it is restarted")
    return redirect("reports:schedule_list")


@require_http_methods(["GET", "POST"])
def paper_template_edit(request):
    if not can_edit_paper_templates(request.user):
        raise PermissionDenied
    template = paper_template_current()
    initial = {**template.sections(), "version": template.version}
    data = request.POST if request.method == "POST" else None
    form = PaperTemplateForm(data, initial=initial, help_text=PAPER_HELP)
    if form.is_valid():
        save = partial(
            paper_template_update,
            template=template,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            sections=form.sections(),
        )
        if _run(form, save) is not None:
            messages.success(request, "The committee paper's wording has been saved")
            return redirect("reports:paper_template_edit")
    context = {"form": form, "placeholders": PLACEHOLDERS}
    return render(request, "reports/paper_template_form.html", context)
