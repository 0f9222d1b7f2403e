"""Report runs: the list, asking for a report, following it as it is made, downloading it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports.forms.runs import ReportRunRequestForm
from reports.models import FORMATS_BY_KIND, ReportFile, ReportFormat
from reports.permissions.runs import (
    can_generate_reports,
    can_retry_report_run,
    can_view_reports,
    visible_report_runs,
)
from reports.services.runs import (
    ReportRunNotRetryable,
    report_file_open,
    report_run_request,
    report_run_retry,
)

PAGE_SIZE = 25


def _files_in_order(run):
    """The run's files in the order its kind lists them: the PDF first."""
    order = FORMATS_BY_KIND[run.kind]
    return sorted(run.files.all(), key=lambda file: order.index(file.format))


@require_GET
def run_list(request):
    if not can_view_reports(request.user):
        raise PermissionDenied
    runs = visible_report_runs(request.user).for_listing()
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "can_generate": can_generate_reports(request.user)}
    return render(request, "reports/run_list.html", context)


@require_http_methods(["GET", "POST"])
def run_request(request):
    if not can_generate_reports(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ReportRunRequestForm(data, user=request.user, today=timezone.localdate())
    if form.is_valid():
        run, created = report_run_request(actor=request.user, **form.request())
        if created:
            messages.success(request, "Report requested")
        else:
            messages.success(request, "This report had already been requested: this is it")
        return redirect("reports:run_detail", pk=run.pk)
    return render(request, "reports/run_request.html", {"form": form})


@require_GET
def run_detail(request, pk):
    run = get_object_or_404(visible_report_runs(request.user).for_listing(), pk=pk)
    context = {
        "run": run,
        "files": _files_in_order(run),
        "can_retry": can_retry_report_run(request.user, run),
    }
    return render(request, "reports/run_detail.html", context)


@require_GET
def run_status(request, pk):
    """What the run's page shows while it waits, as JSON for static/js/report_progress.js."""
    run = get_object_or_404(visible_report_runs(request.user).defer("figures"), pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_text": run.status_text,
            "status_tag": run.status_tag,
            "progress": run.progress,
            "progress_label": run.progress_label,
            "finished": run.is_finished,
        }
    )


@require_POST
def run_retry(request, pk):
    run = get_object_or_404(visible_report_runs(request.user).defer("figures"), pk=pk)
    try:
        report_run_retry(run=run, actor=request.user)
    except ReportRunNotRetryable as refusal:
        messages.error(request, refusal.message)
        return redirect("reports:run_detail", pk=(refusal.newer or run).pk)
    messages.success(request, "The report is being made again")
    return redirect("reports:run_detail", pk=run.pk)


@require_GET
def run_download(request, pk, fmt):
    run = get_object_or_404(visible_report_runs(request.user).defer("figures"), pk=pk)
    try:
        report_file = report_file_open(user=request.user, run=run, fmt=ReportFormat(fmt))
    except ReportFile.DoesNotExist as missing:
        raise Http404 from missing
    response = HttpResponse(bytes(report_file.content), content_type=report_file.content_type)
    # The file name is made by ReportRun.filename: ASCII letters, digits, hyphens and a dot.
    response["Content-Disposition"] = f'attachment; filename="{report_file.filename}"'
    response["Content-Length"] = str(report_file.size)
    # Reports can hold exact figures: no browser or proxy keeps a copy.
    response["Cache-Control"] = "no-store"
    return response
