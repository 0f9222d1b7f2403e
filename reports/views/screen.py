"""The Corporate Parenting report on screen: figures, charts and tables for a chosen period.

Aggregate counts, not a child's record, so reading it writes no access-log row. Those who may
see exact figures see them (with a warning); everyone else sees the public, suppressed version.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cre_portal.accounts.models import User
from reports.figures import report_figures
from reports.forms.period import Period, is_typed_period, period_query, requested_period
from reports.permissions.reports import can_view_exact_figures, can_view_reports
from reports.renderers import labels
from reports.renderers.charts import chart_svg
from reports.renderers.report import periods_of
from reports.renderers.sections import breakdowns, build_report
from reports.suppression import suppress


def _figures(user: User, period: Period) -> tuple[dict[str, Any], bool]:
    """This and the previous period's figures as the user may see them, and whether exact."""
    figures = report_figures(*period)
    if can_view_exact_figures(user):
        return figures, True
    return {which: suppress(part) for which, part in figures.items()}, False


def _report_context(user: User, period: Period) -> dict[str, Any]:
    figures, exact = _figures(user, period)
    meta = {"council_name": settings.COUNCIL_NAME, "generated_at": timezone.now(), "exact": exact}
    report = build_report(figures, meta=meta)
    query = period_query(period)
    sections = [
        (b, f"{reverse('reports:chart', kwargs={'name': b.name})}?{query}" if b.chart else None)
        for b in report.breakdowns
    ]
    note = labels.EXACT_NOTE if exact else labels.SUPPRESSION_NOTE
    return {"report": report, "sections": sections, "exact": exact, "figures_note": note}


@require_GET
def report_screen(request):
    if not can_view_reports(request.user):
        raise PermissionDenied
    form, period = requested_period(request.GET, today=timezone.localdate())
    if period and is_typed_period(request.GET):
        # Typed dates become a plain link to the period, which can be shared or bookmarked.
        return redirect(f"{reverse('reports:screen')}?{period_query(period)}")
    context = {"form": form, "report": None}
    if period:
        context |= _report_context(request.user, period)
    return render(request, "reports/screen.html", context)


@require_GET
def report_chart(request, name: str):
    """One chart as SVG, for an <img> on the report page (CSP forbids inline SVG styles)."""
    if not can_view_reports(request.user):
        raise PermissionDenied
    _form, period = requested_period(request.GET, today=timezone.localdate())
    if period is None:
        raise Http404
    figures, _exact = _figures(request.user, period)
    breakdown = next(b for b in breakdowns(figures) if b.name == name)
    response = HttpResponse(chart_svg(breakdown, periods_of(figures)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{name}.svg"'
    return response
