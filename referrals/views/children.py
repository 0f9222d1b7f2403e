from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.audit.models import AccessLogEntry
from cre_portal.redirects import safe_next_url
from referrals.forms.children import BreakGlassForm
from referrals.permissions.children import (
    can_view_child_access_log,
    children_with_visible_access_log,
    visible_children,
)
from referrals.record_access import break_glass, child_record_view, has_broken_glass

PAGE_SIZE = 25


@require_GET
def child_list(request):
    children = visible_children(request.user).with_related()
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/child_list.html", {"page_obj": page})


@require_GET
@child_record_view
def child_detail(request, child):
    context = {
        "child": child,
        "can_view_access_log": can_view_child_access_log(request.user, child),
    }
    return render(request, "referrals/child_detail.html", context)


@require_http_methods(["GET", "POST"])
def child_break_glass(request, pk):
    child = get_object_or_404(visible_children(request.user), pk=pk)
    next_url = safe_next_url(request, reverse("referrals:child_detail", args=[child.pk]))
    if not child.is_restricted or has_broken_glass(request, child):
        return redirect(next_url)
    form = BreakGlassForm(request.POST or None)
    if form.is_valid():
        break_glass(request, child, form.cleaned_data["reason"])
        return redirect(next_url)
    context = {"child_ref": child.child_ref, "form": form, "next": next_url}
    return render(request, "referrals/child_break_glass.html", context)


@require_GET
def child_access_log(request, pk):
    child = get_object_or_404(children_with_visible_access_log(request.user), pk=pk)
    entries = AccessLogEntry.objects.filter(child_id=child.pk).select_related("user__team")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/child_access_log.html", {"child": child, "page_obj": page})
