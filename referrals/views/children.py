from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cre_portal.audit.models import AccessLogEntry
from cre_portal.audit.services import access_log_record
from referrals.permissions import (
    can_view_child_access_log,
    children_with_visible_access_log,
    visible_children,
)

PAGE_SIZE = 25


@require_GET
def child_list(request):
    children = visible_children(request.user).with_related()
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/child_list.html", {"page_obj": page})


@require_GET
def child_detail(request, pk):
    child = get_object_or_404(visible_children(request.user).with_related(), pk=pk)
    access_log_record(user=request.user, obj=child, child_id=child.pk)
    context = {
        "child": child,
        "can_view_access_log": can_view_child_access_log(request.user, child),
    }
    return render(request, "referrals/child_detail.html", context)


@require_GET
def child_access_log(request, pk):
    child = get_object_or_404(children_with_visible_access_log(request.user), pk=pk)
    entries = AccessLogEntry.objects.filter(child_id=child.pk).select_related("user__team")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/child_access_log.html", {"child": child, "page_obj": page})
