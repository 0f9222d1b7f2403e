import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.audit.models import AccessLogEntry
from cre_portal.concurrency import StaleEdit
from cre_portal.redirects import safe_next_url
from referrals.codes import Disability
from referrals.forms.children import (
    BreakGlassForm,
    ChildEditForm,
    ChildLookupForm,
    ChildSearchForm,
    ConfirmNewChildForm,
    NewChildForm,
)
from referrals.permissions.children import (
    can_add_child,
    can_change_child_team,
    can_edit_child,
    can_restrict_child,
    can_view_child_access_log,
    children_with_visible_access_log,
    visible_children,
)
from referrals.record_access import break_glass, child_record_view, has_broken_glass
from referrals.services import children as services
from referrals.services.child_search import possible_duplicates, search_children_page

PAGE_SIZE = 25
# Step 1's answers while a child is being added; kept out of URLs so no name reaches a log.
NEW_CHILD_SESSION_KEY = "cre_new_child"


@require_GET
def child_list(request):
    form = ChildSearchForm(request.GET)
    term = form.cleaned_data["q"] if form.is_valid() else ""
    children = visible_children(request.user).with_related()
    context = {
        "form": form,
        "term": term,
        "page_obj": search_children_page(children, term, request.GET.get("page")),
        "query_string": urlencode({"q": term}) if term else "",
        "can_add_child": can_add_child(request.user),
    }
    return render(request, "referrals/child_list.html", context)


@require_GET
@child_record_view
def child_detail(request, child):
    labels = dict(Disability.choices)
    context = {
        "child": child,
        "disabilities": [labels.get(code, code) for code in child.disability],
        "can_edit": can_edit_child(request.user, child),
        "can_change_team": can_change_child_team(request.user, child),
        "can_restrict": can_restrict_child(request.user, child),
        "can_view_access_log": can_view_child_access_log(request.user, child),
    }
    return render(request, "referrals/child_detail.html", context)


# --- Adding a child: find (name, date of birth) -> check for a record -> the full record ----------
@require_http_methods(["GET", "POST"])
def child_create(request):
    if not can_add_child(request.user):
        raise PermissionDenied
    step = request.GET.get("step")
    lookup = request.session.get(NEW_CHILD_SESSION_KEY)
    if lookup and step == "details" and lookup["checked"]:
        return _child_create_details(request, lookup)
    if lookup and step in ("check", "details"):
        return _child_create_check(request, lookup)
    # Starting again forgets an abandoned attempt; "Change" (step=find) shows its answers.
    return _child_create_find(request, lookup if step == "find" else None)


def _posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _step_url(step: str) -> str:
    return f"{reverse('referrals:child_create')}?{urlencode({'step': step})}"


def _lookup_values(lookup: dict) -> dict:
    values = {key: lookup[key] for key in ("first_name", "last_name")}
    return {**values, "date_of_birth": datetime.date.fromisoformat(lookup["date_of_birth"])}


def _child_create_find(request, lookup):
    initial = _lookup_values(lookup) if lookup else None
    form = ChildLookupForm(_posted(request), initial=initial)
    if form.is_valid():
        return _child_create_found(request, form.cleaned_data)
    return render(request, "referrals/child_create_find.html", {"form": form})


def _child_create_found(request, answers: dict):
    """Keep step 1's answers; on to the record if nobody like this is known, else to check."""
    values = {key: answers[key] for key in ("first_name", "last_name", "date_of_birth")}
    unknown = not possible_duplicates(request.user, **values)
    lookup = {**values, "date_of_birth": values["date_of_birth"].isoformat()}
    request.session[NEW_CHILD_SESSION_KEY] = {**lookup, "checked": unknown, "matches": 0}
    return redirect(_step_url("details" if unknown else "check"))


def _child_create_check(request, lookup):
    matches = possible_duplicates(request.user, **_lookup_values(lookup))
    form = ConfirmNewChildForm(_posted(request))
    if not matches or form.is_valid():
        checked = {"checked": True, "matches": len(matches)}
        request.session[NEW_CHILD_SESSION_KEY] = {**lookup, **checked}
        return redirect(_step_url("details"))
    context = {"form": form, "matches": matches, "lookup": _lookup_values(lookup)}
    return render(request, "referrals/child_create_check.html", context)


def _child_create_details(request, lookup):
    values = _lookup_values(lookup)
    form = NewChildForm(_posted(request), actor=request.user)
    if form.is_valid():
        try:
            child = services.child_create(actor=request.user, **values, **form.child_fields())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            del request.session[NEW_CHILD_SESSION_KEY]
            messages.success(request, f"Child added with case reference {child.child_ref}")
            return redirect("referrals:child_detail", child.pk)
    context = {"form": form, "lookup": values, "match_count": lookup.get("matches", 0)}
    return render(request, "referrals/child_create_details.html", context)


def _add_service_errors(form, error: ValidationError) -> None:
    """Show what the service refused at the field when the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


# --- Editing a child --------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@child_record_view
def child_edit(request, child):
    if not can_edit_child(request.user, child):
        raise PermissionDenied
    form = ChildEditForm(_posted(request), actor=request.user, child=child)
    if form.is_valid():
        version = form.cleaned_data["version"]
        changes = form.child_fields()
        try:
            services.child_update(
                child=child, actor=request.user, expected_version=version, changes=changes
            )
        except StaleEdit as stale:
            form = _keep_input_on_current_version(form, child, stale.message)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "The child's record has been updated")
            return redirect("referrals:child_detail", child.pk)
    return render(request, "referrals/child_edit.html", {"child": child, "form": form})


def _keep_input_on_current_version(form, child, message: str):
    """The user's own input again, now based on the current version so they can save it."""
    data = form.data.copy()
    data["version"] = str(child.version)
    form = ChildEditForm(data, actor=form.actor, child=child)
    form.is_valid()
    form.add_error(None, message)
    return form


# --- Restricted records and the read log -------------------------------------------------------
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
