from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cre_portal.concurrency import StaleEdit
from cre_portal.redirects import safe_next_url
from referrals.forms.children import BreakGlassForm
from referrals.permissions.children import visible_children
from referrals.record_access import open_record
from tasking.forms.groups import add_service_errors
from tasking.forms.subjects import (
    AssociationForm,
    ChildLinkForm,
    DaysForm,
    LinkEndForm,
    SubjectEditForm,
    SubjectForm,
    SubjectKindForm,
)
from tasking.models import SubjectKind
from tasking.permissions.subjects import (
    can_edit_subject,
    can_end_association,
    can_end_child_link,
    can_record_subject,
    visible_associations,
    visible_child_links,
    visible_subjects,
)
from tasking.record_access import (
    break_glass,
    is_sealed,
    open_for_creator,
    open_subject,
    subject_record_view,
)
from tasking.services import subjects as services
from tasking.services.network import linked_children, linked_subjects

PAGE_SIZE = 25
DEFAULT_DAYS = 90


def _posted(request):
    return request.POST if request.method == "POST" else None


@require_GET
def subject_list(request):
    if not can_record_subject(request.user):
        raise PermissionDenied
    subjects = visible_subjects(request.user).order_by("kind", "-created_at")
    page = Paginator(subjects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tasking/subject_list.html", {"page_obj": page})


# --- Adding a subject: kind -> details -> likely duplicates -> saved ------------------------------
@require_http_methods(["GET", "POST"])
def subject_create(request):
    if not can_record_subject(request.user):
        raise PermissionDenied
    kind_form = SubjectKindForm(request.GET if "kind" in request.GET else None)
    if not kind_form.is_valid():
        return render(request, "tasking/subject_kind.html", {"form": kind_form})
    kind = kind_form.cleaned_data["kind"]
    form = SubjectForm(_posted(request), kind=kind)
    if form.is_valid() and "change" not in request.POST:
        fields = form.subject_fields()
        matches = [] if "checked" in request.POST else _duplicates(request.user, fields)
        if matches:
            return _check_page(request, kind, matches)
        return _create(request, form, kind, fields)
    context = {"form": form, "kind_label": form_kind_label(kind)}
    return render(request, "tasking/subject_form.html", context)


def form_kind_label(kind: str) -> str:
    return SubjectKind(kind).label.lower()


def _check_page(request, kind: str, matches: list):
    """Likely duplicates, with the user's answers carried in hidden fields to add it anyway."""
    skipped = {"csrfmiddlewaretoken", "checked", "change"}
    posted = [(k, v) for k, values in request.POST.lists() if k not in skipped for v in values]
    context = {
        "matches": matches,
        "kind": kind,
        "kind_label": form_kind_label(kind),
        "posted": posted,
    }
    return render(request, "tasking/subject_check.html", context)


def _duplicates(user, fields: dict) -> list:
    identifiers = ("aliases", "vehicle_registration", "phone_numbers", "online_handles")
    found = {name: fields[name] for name in identifiers if name in fields}
    return services.possible_subject_duplicates(user, name=fields["name"], **found)


def _create(request, form, kind: str, fields: dict):
    try:
        subject = services.subject_create(actor=request.user, kind=kind, **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        context = {"form": form, "kind_label": form_kind_label(kind)}
        return render(request, "tasking/subject_form.html", context)
    open_for_creator(request, subject)
    messages.success(request, f"{services.subject_label(subject)} added")
    return redirect("tasking:subject_detail", subject.pk)


# --- A subject's record -----------------------------------------------------------------------
@require_GET
@subject_record_view
def subject_detail(request, subject):
    context = {
        "subject": subject,
        "reference": services.subject_reference(subject),
        "children": linked_children(request.user, subject),
        "subjects": linked_subjects(request.user, subject),
        "can_edit": can_edit_subject(request.user, subject),
        "days": DEFAULT_DAYS,
    }
    return render(request, "tasking/subject_detail.html", context)


@require_http_methods(["GET", "POST"])
@subject_record_view
def subject_edit(request, subject):
    if not can_edit_subject(request.user, subject):
        raise PermissionDenied
    form = SubjectEditForm(_posted(request), subject=subject)
    if form.is_valid():
        version, changes = form.cleaned_data["version"], form.subject_fields()
        try:
            services.subject_update(
                subject=subject, actor=request.user, expected_version=version, changes=changes
            )
        except StaleEdit as stale:
            form = _keep_input_on_current_version(form, subject, stale.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The subject's record has been updated")
            return redirect("tasking:subject_detail", subject.pk)
    context = {"subject": subject, "reference": services.subject_reference(subject), "form": form}
    return render(request, "tasking/subject_edit.html", context)


def _keep_input_on_current_version(form, subject, message: str):
    """The user's own input again, now based on the current version so they can save it."""
    subject.refresh_from_db()
    data = form.data.copy()
    data["version"] = str(subject.version)
    form = SubjectEditForm(data, subject=subject)
    form.is_valid()
    form.add_error(None, message)
    return form


@require_http_methods(["GET", "POST"])
def subject_break_glass(request, pk):
    subject = get_object_or_404(visible_subjects(request.user), pk=pk)
    next_url = safe_next_url(request, reverse("tasking:subject_detail", args=[subject.pk]))
    if not is_sealed(request, subject):
        return redirect(next_url)
    form = BreakGlassForm(request.POST or None)
    if form.is_valid():
        break_glass(request, subject, form.cleaned_data["reason"])
        return redirect(next_url)
    context = {"label": services.subject_label(subject), "form": form, "next": next_url}
    return render(request, "tasking/subject_break_glass.html", context)


@require_GET
@subject_record_view
def subject_children(request, subject):
    form = DaysForm(request.GET)
    days = (form.cleaned_data["days"] if form.is_valid() else None) or DEFAULT_DAYS
    context = {
        "subject": subject,
        "reference": services.subject_reference(subject),
        "form": form,
        "days": days,
        "children": linked_children(request.user, subject, days=days),
    }
    return render(request, "tasking/subject_children.html", context)


# --- Links ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@subject_record_view
def subject_link_child(request, subject):
    if not can_edit_subject(request.user, subject):
        raise PermissionDenied
    form = ChildLinkForm(_posted(request), children=visible_children(request.user))
    if form.is_valid():
        child = form.cleaned_data["child_ref"]
        try:
            services.child_link_create(
                subject=subject, child=child, actor=request.user, **form.link_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Child {child.child_ref} linked")
            return redirect("tasking:subject_detail", subject.pk)
    return _link_page(request, subject, form, "Link a child")


@require_http_methods(["GET", "POST"])
@subject_record_view
def subject_link_subject(request, subject):
    if not can_edit_subject(request.user, subject):
        raise PermissionDenied
    others = visible_subjects(request.user).exclude(pk=subject.pk).order_by("kind", "created_at")
    form = AssociationForm(_posted(request), subjects=others)
    if form.is_valid():
        other = form.cleaned_data["other"]
        try:
            services.association_create(
                subject=subject, other=other, actor=request.user, **form.link_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{services.subject_label(other)} linked")
            return redirect("tasking:subject_detail", subject.pk)
    return _link_page(request, subject, form, "Link another subject")


def _link_page(request, subject, form, heading: str):
    context = {
        "subject": subject,
        "reference": services.subject_reference(subject),
        "form": form,
        "heading": heading,
    }
    return render(request, "tasking/subject_link.html", context)


@require_http_methods(["GET", "POST"])
def child_link_end(request, pk):
    links = visible_child_links(request.user).select_related("child", "subject")
    link = get_object_or_404(links, pk=pk)
    if not can_end_child_link(request.user, link):
        raise PermissionDenied
    sealed = open_subject(request, link.subject) or open_record(request, link, link.child)
    if sealed:
        return sealed
    form = LinkEndForm(_posted(request))
    if form.is_valid():
        try:
            services.child_link_end(link=link, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Link to child {link.child.child_ref} ended")
            return redirect("tasking:subject_detail", link.subject_id)
    return _end_page(request, form, link.subject, f"child {link.child.child_ref}")


@require_http_methods(["GET", "POST"])
def association_end(request, pk):
    rows = visible_associations(request.user).select_related("subject", "other")
    association = get_object_or_404(rows, pk=pk)
    if not can_end_association(request.user, association):
        raise PermissionDenied
    sealed = open_subject(request, association.subject)
    if sealed:
        return sealed
    form = LinkEndForm(_posted(request))
    if form.is_valid():
        try:
            services.association_end(
                association=association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Link between the subjects ended")
            return redirect("tasking:subject_detail", association.subject_id)
    return _end_page(request, form, association.subject, services.subject_label(association.other))


def _end_page(request, form, subject, other: str):
    context = {
        "form": form,
        "subject": subject,
        "reference": services.subject_reference(subject),
        "other": other,
    }
    return render(request, "tasking/subject_link_end.html", context)
