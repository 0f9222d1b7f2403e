from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from tasking.forms.groups import (
    ClearanceForm,
    GroupForm,
    MemberAddForm,
    MembershipEndForm,
    add_service_errors,
)
from tasking.models import GroupMembership, Tier
from tasking.permissions.groups import (
    can_manage_tasking_groups,
    can_see_clearances,
    visible_groups,
)
from tasking.services import groups as services

PAGE_SIZE = 25
TIERS_TOP_DOWN = Case(
    When(tier=Tier.GOVERNANCE, then=Value(0)),
    When(tier=Tier.STRATEGIC, then=Value(1)),
    default=Value(2),
)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _group_or_404(request, pk):
    groups = visible_groups(request.user).select_related("chair__team", "escalates_to")
    return get_object_or_404(groups, pk=pk)


def _managed_group(request, pk):
    group = _group_or_404(request, pk)
    if not can_manage_tasking_groups(request.user):
        raise PermissionDenied
    return group


def _managed_membership(request, pk):
    memberships = GroupMembership.objects.filter(group__in=visible_groups(request.user))
    membership = get_object_or_404(memberships.select_related("group", "user__team"), pk=pk)
    if not can_manage_tasking_groups(request.user):
        raise PermissionDenied
    return membership


@require_GET
def group_list(request):
    current = Count("memberships", filter=Q(memberships__left_on__isnull=True))
    groups = visible_groups(request.user).select_related("chair", "escalates_to")
    groups = groups.annotate(member_count=current).order_by(TIERS_TOP_DOWN, "name")
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "can_manage": can_manage_tasking_groups(request.user)}
    return render(request, "tasking/group_list.html", context)


@require_http_methods(["GET", "POST"])
def group_create(request):
    if not can_manage_tasking_groups(request.user):
        raise PermissionDenied
    form = GroupForm(_posted(request))
    if form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.group_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Group {group.name} set up")
            return redirect("tasking:group_detail", group.pk)
    return render(request, "tasking/group_form.html", {"form": form, "group": None})


@require_GET
def group_detail(request, pk):
    group = _group_or_404(request, pk)
    memberships = group.memberships.select_related("user__team").order_by("user__full_name")
    context = {
        "group": group,
        "members": [m for m in memberships if m.left_on is None],
        "former_members": [m for m in memberships if m.left_on is not None],
        "can_manage": can_manage_tasking_groups(request.user),
        "can_see_clearances": can_see_clearances(request.user, group),
    }
    return render(request, "tasking/group_detail.html", context)


@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    group = _managed_group(request, pk)
    form = GroupForm(_posted(request), group=group)
    if form.is_valid():
        try:
            services.group_update(group=group, actor=request.user, changes=form.group_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The group's details have been updated")
            return redirect("tasking:group_detail", group.pk)
    return render(request, "tasking/group_form.html", {"form": form, "group": group})


@require_http_methods(["GET", "POST"])
def group_member_add(request, pk):
    group = _managed_group(request, pk)
    form = MemberAddForm(_posted(request), group=group)
    if form.is_valid():
        try:
            membership = services.membership_add(
                group=group, actor=request.user, **form.member_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.display_name} added to the group")
            return redirect("tasking:group_detail", group.pk)
    return render(request, "tasking/group_member_add.html", {"form": form, "group": group})


@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = _managed_membership(request, pk)
    form = MembershipEndForm(_posted(request))
    if form.is_valid():
        try:
            services.membership_end(
                membership=membership, actor=request.user, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.display_name} removed from the group")
            return redirect("tasking:group_detail", membership.group_id)
    context = {"form": form, "membership": membership, "group": membership.group}
    return render(request, "tasking/group_member_end.html", context)


@require_http_methods(["GET", "POST"])
def membership_clearance(request, pk):
    membership = _managed_membership(request, pk)
    initial = {"has_covert_clearance": "yes" if membership.has_covert_clearance else "no"}
    form = ClearanceForm(_posted(request), initial=initial)
    if form.is_valid():
        cleared = form.cleaned_data["has_covert_clearance"] == "yes"
        try:
            services.membership_set_clearance(
                membership=membership, has_covert_clearance=cleared, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Covert clearance updated for {membership.user.display_name}"
            )
            return redirect("tasking:group_detail", membership.group_id)
    context = {"form": form, "membership": membership, "group": membership.group}
    return render(request, "tasking/group_member_clearance.html", context)
