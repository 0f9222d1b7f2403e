"""Assessment template pages: the versions, one version's indicators, and drafting a new one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cre_portal.concurrency import StaleEdit
from risk_assessment.forms.templates import ConfirmForm, IndicatorForm, TemplateForm, loaded_at
from risk_assessment.models import AssessmentTemplate, Domain, TemplateIndicator
from risk_assessment.permissions.assessments import (
    can_manage_templates,
    can_view_templates,
    visible_templates,
)
from risk_assessment.services import templates as services

FORM_METHODS = ["GET", "POST"]
STALE = (
    "Someone else changed this draft while you were editing it. Your changes have not been "
    "saved. Reload the draft to see their changes, then make yours again."
)


def posted(request):
    return request.POST if request.method == "POST" else None


def _template(request, pk) -> AssessmentTemplate:
    return get_object_or_404(visible_templates(request.user).select_related("published_by"), pk=pk)


def _draft_to_manage(request, template: AssessmentTemplate) -> HttpResponse | None:
    """Administrators only (403); a published version sends them back to it, saying why."""
    if not can_manage_templates(request.user):
        raise PermissionDenied
    if template.is_published:
        messages.info(request, services.PUBLISHED_IS_FIXED)
        return redirect("risk_assessment:template_detail", template.pk)
    return None


def _call(form, service, **arguments) -> bool:
    """Call the service; False with its refusal on the form (a stale page says so)."""
    try:
        service(**arguments)
    except StaleEdit:
        form.add_error(None, STALE)
    except ValidationError as error:
        if hasattr(error, "error_dict") and error.error_dict.keys() <= form.fields.keys():
            form.add_error(None, error)
        else:
            form.add_error(None, error.messages)
    else:
        return True
    return False


@require_GET
def template_list(request):
    if not can_view_templates(request.user):
        raise PermissionDenied
    templates = visible_templates(request.user).annotate(indicator_count=Count("indicators"))
    context = {
        "templates": templates.select_related("published_by"),
        "current": AssessmentTemplate.objects.current(),
        "can_manage": can_manage_templates(request.user),
        "has_draft": templates.filter(published_at__isnull=True).exists(),
    }
    return render(request, "risk_assessment/template_list.html", context)


@require_POST
def template_new_version(request):
    if not can_manage_templates(request.user):
        raise PermissionDenied
    try:
        draft = services.template_new_version(actor=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return redirect("risk_assessment:template_list")
    messages.success(request, f"Version {draft.version} created as a draft")
    return redirect("risk_assessment:template_detail", draft.pk)


@require_GET
def template_detail(request, pk):
    template = _template(request, pk)
    indicators = list(template.indicators.order_by("position", "pk"))
    sections = [
        (domain.label, rows)
        for domain in Domain
        if (rows := [row for row in indicators if row.domain == domain])
    ]
    context = {
        "template": template,
        "sections": sections,
        "total_weight": sum(row.weight for row in indicators),
        "can_edit": not template.is_published and can_manage_templates(request.user),
    }
    return render(request, "risk_assessment/template_detail.html", context)


@require_http_methods(FORM_METHODS)
def template_edit(request, pk):
    template = _template(request, pk)
    if refused := _draft_to_manage(request, template):
        return refused
    initial = {
        "name": template.name,
        "medium_threshold": template.medium_threshold,
        "high_threshold": template.high_threshold,
        "loaded_at": loaded_at(template),
    }
    form = TemplateForm(posted(request), initial=initial)
    if form.is_valid() and _call(
        form, services.template_update, template=template, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, "Name and thresholds saved")
        return redirect("risk_assessment:template_detail", template.pk)
    context = {"template": template, "form": form}
    return render(request, "risk_assessment/template_edit.html", context)


@require_http_methods(FORM_METHODS)
def template_publish(request, pk):
    template = _template(request, pk)
    if refused := _draft_to_manage(request, template):
        return refused
    form = ConfirmForm(
        posted(request), initial={"loaded_at": loaded_at(template)}, submit_label="Publish"
    )
    if form.is_valid() and _call(
        form, services.template_publish, template=template, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, f"Version {template.version} published")
        return redirect("risk_assessment:template_detail", template.pk)
    current = AssessmentTemplate.objects.current()
    context = {"template": template, "form": form, "current": current}
    return render(request, "risk_assessment/template_publish.html", context)


@require_http_methods(FORM_METHODS)
def template_indicator_add(request, pk):
    template = _template(request, pk)
    if refused := _draft_to_manage(request, template):
        return refused
    form = IndicatorForm(posted(request), initial={"loaded_at": loaded_at(template)})
    if form.is_valid() and _call(
        form,
        services.template_indicator_add,
        template=template,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(request, "Indicator added")
        return redirect("risk_assessment:template_detail", template.pk)
    context = {"template": template, "form": form, "indicator": None}
    return render(request, "risk_assessment/template_indicator_form.html", context)


def _indicator(request, pk) -> TemplateIndicator:
    templates = visible_templates(request.user)
    indicators = TemplateIndicator.objects.filter(template__in=templates)
    return get_object_or_404(indicators.select_related("template"), pk=pk)


@require_http_methods(FORM_METHODS)
def template_indicator_edit(request, pk):
    indicator = _indicator(request, pk)
    if refused := _draft_to_manage(request, indicator.template):
        return refused
    fields = ("domain", "text", "guidance", "weight", "is_significant", "position")
    initial = {name: getattr(indicator, name) for name in fields}
    initial["loaded_at"] = loaded_at(indicator.template)
    form = IndicatorForm(posted(request), initial=initial)
    if form.is_valid() and _call(
        form,
        services.template_indicator_update,
        indicator=indicator,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(request, "Indicator saved")
        return redirect("risk_assessment:template_detail", indicator.template.pk)
    context = {"template": indicator.template, "form": form, "indicator": indicator}
    return render(request, "risk_assessment/template_indicator_form.html", context)


@require_http_methods(FORM_METHODS)
def template_indicator_remove(request, pk):
    indicator = _indicator(request, pk)
    if refused := _draft_to_manage(request, indicator.template):
        return refused
    initial = {"loaded_at": loaded_at(indicator.template)}
    form = ConfirmForm(posted(request), initial=initial, submit_label="Remove indicator")
    if form.is_valid() and _call(
        form,
        services.template_indicator_remove,
        indicator=indicator,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(request, "Indicator removed")
        return redirect("risk_assessment:template_detail", indicator.template.pk)
    context = {"template": indicator.template, "form": form, "indicator": indicator}
    return render(request, "risk_assessment/template_indicator_remove.html", context)
